/**
 * A document's revision history and documents.batchUpdate with writeControl. Every applied batch makes a
 * new opaque revision id and is kept (document + index ops) for a bounded number of revisions, so that
 * `requiredRevisionId` can refuse stale writes and `targetRevisionId` can transform late ones.
 */
import { applyParsed, checkRequestList, newRevisionId, parseRequest } from './applyRequests.ts';
import { GoogleApiError } from './errors.ts';
import { flattenDocument } from './flatten.ts';
import type { Ctx, PrimitiveOp } from './locate.ts';
import type { Document, Response } from './model.ts';
import { toDocumentJson } from './serialize.ts';
import { type Bias, LateBatchMapping } from './transform.ts';

/** The body of documents.batchUpdate. */
export interface BatchUpdateBody {
  requests?: unknown;
  writeControl?: { requiredRevisionId?: string | null; targetRevisionId?: string | null } | null;
}

/** The answer of documents.batchUpdate. */
export interface BatchUpdateResult {
  documentId: string;
  replies: Response[];
  writeControl: { requiredRevisionId: string };
}

interface Revision {
  revisionId: string;
  document: Document;
  /** The index ops of the batch that produced this revision (empty for the first). */
  ops: PrimitiveOp[];
}

/** How many past revisions stay usable as a targetRevisionId. */
export const DEFAULT_REVISION_WINDOW = 50;

/** One Google Doc with its revisions; the HTTP emulator keeps one per document id. */
export class DocumentHistory {
  private readonly revisions: Revision[];

  constructor(
    initial: Document,
    private readonly window = DEFAULT_REVISION_WINDOW,
  ) {
    const revisionId = initial.revisionId ?? newRevisionId();
    this.revisions = [{ revisionId, document: { ...initial, revisionId }, ops: [] }];
  }

  /** The latest document (documents.get): a copy, so callers may change it without touching the history. */
  get current(): Document {
    return structuredClone(this.latest.document);
  }

  private get latest(): Revision {
    return this.revisions[this.revisions.length - 1]!;
  }

  /**
   * Records a change made outside the API (a collaborator typing in the Docs editor), as a request list;
   * returns the new revision id. `seen` is the revision the collaborator's indices refer to: like the Docs
   * editor's server, the emulator transforms the edit over what landed since (without it, an edit computed
   * from an older read would land at shifted indices, e.g. inside text another writer inserted meanwhile).
   */
  collaboratorEdit(requests: unknown[], seen?: string): string {
    const writeControl = seen ? { targetRevisionId: seen } : null;
    return this.batchUpdate({ requests, writeControl }).writeControl.requiredRevisionId;
  }

  /** documents.batchUpdate: applies atomically, honouring writeControl; throws GoogleApiError. */
  batchUpdate(body: BatchUpdateBody): BatchUpdateResult {
    const list = checkRequestList(body.requests);
    const required = body.writeControl?.requiredRevisionId ?? undefined;
    const target = body.writeControl?.targetRevisionId ?? undefined;
    if (required && target) {
      throw new GoogleApiError(
        400,
        'INVALID_ARGUMENT',
        'Only one of requiredRevisionId and targetRevisionId may be set.',
      );
    }
    const latest = this.latest;
    if (required && required !== latest.revisionId) {
      throw new GoogleApiError(
        400,
        'FAILED_PRECONDITION',
        `The document was modified after revision ${required}: read it again and retry.`,
      );
    }
    let since = this.revisions.length - 1;
    if (target) {
      since = this.revisions.findIndex((r) => r.revisionId === target);
      if (since < 0) {
        throw new GoogleApiError(
          400,
          'FAILED_PRECONDITION',
          `The target revision ${target} is unknown or too old: read the document again and retry.`,
        );
      }
    }
    const { document, replies, ops } = this.applyLate(list, since);
    const revisionId = newRevisionId();
    this.revisions.push({ revisionId, document: { ...document, revisionId }, ops });
    while (this.revisions.length > this.window) this.revisions.shift();
    return {
      documentId: document.documentId ?? '',
      replies,
      writeControl: { requiredRevisionId: revisionId },
    };
  }

  /** Applies a batch written against revision index `since`, transforming it over later revisions. */
  private applyLate(
    requests: unknown[],
    since: number,
  ): { document: Document; replies: Response[]; ops: PrimitiveOp[] } {
    const parsed = requests.map(parseRequest);
    const collaborators = this.revisions.slice(since + 1).flatMap((r) => r.ops);
    const current: Ctx = { doc: flattenDocument(this.latest.document), ops: [] };
    const replies: Response[] = [];
    if (collaborators.length === 0) {
      parsed.forEach((request, i) => {
        replies.push(applyParsed(current, request, i).reply);
      });
      return { document: toDocumentJson(current.doc), replies, ops: current.ops };
    }
    const lineage: Ctx = { doc: flattenDocument(this.revisions[since]!.document), ops: [] };
    const mapping = new LateBatchMapping(collaborators);
    parsed.forEach((request, i) => {
      const written = applyParsed(lineage, request, i).ops;
      if (request.kind === 'deleteContentRange') {
        // What collaborators typed inside the range since the target revision is theirs: it survives, and
        // the deletion splits around it, as an OT server rebases a late delete over concurrent inserts.
        const pieces = deletedPieces(request.body, (p, bias, seg) => mapping.map(p, bias, seg));
        const ops: PrimitiveOp[] = [];
        for (const [startIndex, endIndex] of pieces.reverse()) {
          const body = { range: { ...(request.body.range as object), startIndex, endIndex } };
          ops.push(...applyParsed(current, { kind: request.kind, body }, i).ops);
        }
        replies.push({});
        mapping.push({ lineage: written, applied: ops.length > 0 ? ops : null });
        return;
      }
      const moved = mapRequest(request.body, (p, bias, seg) => mapping.map(p, bias, seg));
      if (moved === null) {
        replies.push({});
        mapping.push({ lineage: written, applied: null });
        return;
      }
      const applied = applyParsed(current, { kind: request.kind, body: moved }, i);
      if (applied.ops.length !== written.length) {
        throw new GoogleApiError(
          400,
          'FAILED_PRECONDITION',
          `Invalid requests[${i}].${request.kind}: it conflicts with changes made since the target revision; read the document again and retry.`,
        );
      }
      replies.push(applied.reply);
      mapping.push({ lineage: written, applied: applied.ops });
    });
    return { document: toDocumentJson(current.doc), replies, ops: current.ops };
  }
}

type MapFn = (p: number, bias: Bias, seg: string) => number;

/**
 * The latest-document ranges holding what a late deleteContentRange saw, in document order: each position of
 * the written range maps on its own, so text inserted since splits the range instead of being deleted with it.
 */
function deletedPieces(body: Record<string, unknown>, map: MapFn): Array<[number, number]> {
  const range = body.range as { startIndex: number; endIndex: number; segmentId?: string };
  const seg = range.segmentId ?? '';
  const pieces: Array<[number, number]> = [];
  for (let p = range.startIndex; p < range.endIndex; p++) {
    const from = map(p, 'right', seg);
    const to = map(p + 1, 'left', seg);
    if (to <= from) continue;
    const last = pieces[pieces.length - 1];
    if (last && last[1] === from) last[1] = to;
    else pieces.push([from, to]);
  }
  return pieces;
}

/** A copy of a request body with every index mapped; null when its range vanished. */
function mapRequest(body: Record<string, unknown>, map: MapFn): Record<string, unknown> | null {
  const out: Record<string, unknown> = structuredClone(body);
  const location = out.location as { index: number; segmentId?: string } | undefined;
  if (location) location.index = map(location.index, 'right', location.segmentId ?? '');
  const range = out.range as { startIndex: number; endIndex: number; segmentId?: string } | undefined;
  if (range) {
    range.startIndex = map(range.startIndex, 'right', range.segmentId ?? '');
    range.endIndex = map(range.endIndex, 'left', range.segmentId ?? '');
    if (range.endIndex <= range.startIndex) return null;
  }
  const table = out.tableStartLocation as { index: number } | undefined;
  if (table) table.index = map(table.index, 'right', '');
  const cell = out.tableCellLocation as { tableStartLocation?: { index: number } } | undefined;
  if (cell?.tableStartLocation)
    cell.tableStartLocation.index = map(cell.tableStartLocation.index, 'right', '');
  return out;
}
