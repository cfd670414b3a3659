/**
 * Applies a documents.batchUpdate request list to a document, in order and atomically: every request is
 * validated (zod shape, then Google's rules) against the state the earlier ones produced; the first invalid
 * one aborts the batch with `Invalid requests[i].<kind>: ...` and nothing is applied.
 */
import { createParagraphBullets, deleteParagraphBullets } from './bulletRequests.ts';
import { GoogleApiError, invalid, RequestInvalid } from './errors.ts';
import { flattenDocument } from './flatten.ts';
import { createFootnote, SEGMENT_KINDS, segmentIdOf, withoutSegmentId } from './footnoteRequests.ts';
import type { Ctx, PrimitiveOp } from './locate.ts';
import { cloneFlat, type Document, type FlatDoc, type Response, randomId } from './model.ts';
import { insertInlineImage, insertPageBreak } from './objectRequests.ts';
import { type RequestKind, requestSchemas, UNSUPPORTED_KINDS } from './requestSchemas.ts';
import { toDocumentJson } from './serialize.ts';
import { updateParagraphStyle, updateTextStyle } from './styleRequests.ts';
import { deleteTableRow, insertTable, insertTableRow, pinTableHeaderRows } from './tableRequests.ts';
import { deleteContentRange, insertText, replaceAllText } from './textRequests.ts';

/** One parsed request: its kind and its validated body. */
export interface ParsedRequest {
  kind: RequestKind;
  body: Record<string, unknown>;
}

/** The outcome of a batch: the new document (with a new revision id), one reply per request, index ops. */
export interface AppliedBatch {
  document: Document;
  replies: Response[];
  /** Per request, the index-level edits it made (for targetRevisionId transforms). */
  ops: PrimitiveOp[][];
}

const bad = (message: string) => new GoogleApiError(400, 'INVALID_ARGUMENT', message);

/** Validates the shape of request i and returns its kind and body. */
export function parseRequest(request: unknown, i: number): ParsedRequest {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    throw bad(`Invalid value at 'requests[${i}]': a request must be an object.`);
  }
  const keys = Object.keys(request as object);
  if (keys.length !== 1)
    throw bad(`Invalid requests[${i}]: exactly one request kind must be set, found ${keys.length}.`);
  const kind = keys[0]!;
  if (UNSUPPORTED_KINDS.includes(kind)) {
    throw bad(
      `Invalid requests[${i}].${kind}: this request kind is not implemented by the Docbridge emulator.`,
    );
  }
  if (!(kind in requestSchemas)) {
    throw bad(
      `Invalid JSON payload received. Unknown name "${kind}" at 'requests[${i}]': Cannot find field.`,
    );
  }
  const parsed = requestSchemas[kind as RequestKind].safeParse((request as Record<string, unknown>)[kind]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') ?? '';
    throw bad(
      `Invalid requests[${i}].${kind}: ${where ? `${where}: ` : ''}${issue?.message ?? 'invalid value'}`,
    );
  }
  return { kind: kind as RequestKind, body: parsed.data as Record<string, unknown> };
}

/**
 * Applies one parsed request to the context and returns its reply. A request naming a footnote's segmentId
 * runs on that footnote's units, and its index ops are tagged with the footnote. Throws RequestInvalid on a rule.
 */
function dispatch(ctx: Ctx, request: ParsedRequest): Response {
  const segmentId = segmentIdOf(request.body);
  const segment = segmentId ? ctx.doc.footnotes[segmentId] : undefined;
  if (!segmentId || !segment) return dispatchIn(ctx, request);
  if (!SEGMENT_KINDS.has(request.kind))
    invalid(`${request.kind} cannot be used inside a footnote (segment ${segmentId}).`);
  const inFootnote: Ctx = { doc: { ...ctx.doc, units: segment }, ops: [] };
  const reply = dispatchIn(inFootnote, { kind: request.kind, body: withoutSegmentId(request.body) });
  for (const op of inFootnote.ops) ctx.ops.push({ ...op, seg: segmentId });
  return reply;
}

/** Applies one request to the segment `ctx.doc.units` holds. */
function dispatchIn(ctx: Ctx, { kind, body }: ParsedRequest): Response {
  // biome-ignore lint/suspicious/noExplicitAny: bodies were validated by the zod schema of their kind
  const b = body as any;
  switch (kind) {
    case 'insertText':
      insertText(ctx, b);
      return {};
    case 'deleteContentRange':
      deleteContentRange(ctx, b);
      return {};
    case 'updateTextStyle':
      updateTextStyle(ctx, b);
      return {};
    case 'updateParagraphStyle':
      updateParagraphStyle(ctx, b);
      return {};
    case 'createParagraphBullets':
      createParagraphBullets(ctx, b);
      return {};
    case 'deleteParagraphBullets':
      deleteParagraphBullets(ctx, b);
      return {};
    case 'insertTable':
      insertTable(ctx, b);
      return {};
    case 'insertTableRow':
      insertTableRow(ctx, b);
      return {};
    case 'deleteTableRow':
      deleteTableRow(ctx, b);
      return {};
    case 'pinTableHeaderRows':
      pinTableHeaderRows(ctx, b);
      return {};
    case 'insertInlineImage':
      return { insertInlineImage: { objectId: insertInlineImage(ctx, b) } };
    case 'insertPageBreak':
      insertPageBreak(ctx, b);
      return {};
    case 'createFootnote':
      return { createFootnote: { footnoteId: createFootnote(ctx, b) } };
    case 'replaceAllText': {
      const n = replaceAllText(ctx, b);
      return { replaceAllText: n > 0 ? { occurrencesChanged: n } : {} };
    }
  }
}

/**
 * Applies parsed request i to `ctx`, turning a rule violation into Google's 400 error naming the request.
 * Returns the reply and the index ops the request made.
 */
export function applyParsed(
  ctx: Ctx,
  request: ParsedRequest,
  i: number,
): { reply: Response; ops: PrimitiveOp[] } {
  const before = ctx.ops.length;
  try {
    const reply = dispatch(ctx, request);
    return { reply, ops: ctx.ops.slice(before) };
  } catch (err) {
    if (err instanceof RequestInvalid) throw bad(`Invalid requests[${i}].${request.kind}: ${err.message}`);
    throw err;
  }
}

/** Checks the batch body's `requests` array. */
export function checkRequestList(requests: unknown): unknown[] {
  if (!Array.isArray(requests) || requests.length === 0) throw bad('Must specify at least one request.');
  return requests;
}

/** Applies requests to a flat document in place (callers pass a clone for atomicity). */
export function applyToFlat(
  doc: FlatDoc,
  requests: unknown[],
): { replies: Response[]; ops: PrimitiveOp[][] } {
  const parsed = requests.map(parseRequest);
  const ctx: Ctx = { doc, ops: [] };
  const replies: Response[] = [];
  const ops: PrimitiveOp[][] = [];
  parsed.forEach((request, i) => {
    const out = applyParsed(ctx, request, i);
    replies.push(out.reply);
    ops.push(out.ops);
  });
  return { replies, ops };
}

/** A fresh revision id: opaque, random, never ordered. */
export function newRevisionId(): string {
  return `ALm37B${randomId(40)}`;
}

/**
 * Applies `requests` to `document` (all or nothing) and returns the new document with a new revisionId.
 * Throws GoogleApiError (400 INVALID_ARGUMENT) naming the first invalid request.
 */
export function applyRequests(document: Document, requests: unknown): AppliedBatch {
  const list = checkRequestList(requests);
  const flat = cloneFlat(flattenDocument(document));
  const { replies, ops } = applyToFlat(flat, list);
  flat.meta = { ...flat.meta, revisionId: newRevisionId() };
  return { document: toDocumentJson(flat), replies, ops };
}
