/**
 * The Google Docs converter: `readGoogleDoc` (Docs API v1 Document to schema JSON),
 * `writeGoogleDoc` (schema JSON to a brand-new Google document and the requests that build it) and
 * `batchUpdateFromDiff` (the requests that carry a schema edit to an existing document).
 */
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { docs_v1 } from 'googleapis';
import { normalizeDoc, validateDoc } from '../../model/schema.ts';
import { type ConversionWarning, WarningCollector } from '../../model/warnings.ts';
import { applyRequests } from '../engine/applyRequests.ts';
import { createDocument } from '../engine/createDocument.ts';
import { batchUpdateFromDiff, type DiffOptions } from './batchUpdateFromDiff.ts';
import { lowerDoc } from './lower.ts';
import { raiseSegment } from './raise.ts';
import { readUnits } from './readUnits.ts';

export { batchUpdateFromDiff, type DiffOptions, type DiffResult } from './batchUpdateFromDiff.ts';

/** What readGoogleDoc returns. */
export interface GoogleReadResult {
  doc: JSONContent;
  /** The same document as the validated ProseMirror node (what the sync engine works with). */
  node: PMNode;
  warnings: ConversionWarning[];
}

/**
 * Imports a documents.get answer (read with the default SUGGESTIONS_INLINE view) into schema JSON.
 * Throws ConversionError('GDOCS_INVALID_DOCUMENT') for input that is not a Document.
 */
export function readGoogleDoc(document: docs_v1.Schema$Document): GoogleReadResult {
  const warnings = new WarningCollector();
  const units = readUnits(document, warnings);
  const content = raiseSegment(units);
  const node = validateDoc({ type: 'doc', content: content.length > 0 ? content : [{ type: 'paragraph' }] });
  return { doc: node.toJSON() as JSONContent, node, warnings: warnings.list() };
}

/**
 * What a schema document becomes once held by Google Docs (lists merged, quotes flattened, a paragraph
 * around tables...), without any API call: `readGoogleDoc` of the written document equals this. The sync
 * engine can use it to predict a push's echo; tests use it as the expected result.
 */
export function normalizeForGoogle(doc: JSONContent): { doc: JSONContent; warnings: ConversionWarning[] } {
  const warnings = new WarningCollector();
  const units = lowerDoc(normalizeDoc(doc), warnings);
  const content = raiseSegment(units);
  return { doc: normalizeDoc({ type: 'doc', content }), warnings: warnings.list() };
}

/** What writeGoogleDoc returns. */
export interface GoogleWriteResult {
  /** The Document JSON Google would hold (computed offline by the Docs engine). */
  document: docs_v1.Schema$Document;
  /** The batchUpdate requests that build it in a freshly created (empty) Google document. */
  requests: docs_v1.Schema$Request[];
  warnings: ConversionWarning[];
}

/**
 * Exports a schema document as a brand-new Google document (used by the CLI): the requests to send after
 * documents.create, and the resulting Document as the Docs engine computes it.
 */
export function writeGoogleDoc(
  doc: JSONContent,
  options: DiffOptions & { title?: string } = {},
): GoogleWriteResult {
  const blank = createDocument(options.title ?? 'Untitled document');
  const { requests, warnings } = batchUpdateFromDiff(blank, readGoogleDoc(blank).doc, doc, options);
  const document = requests.length > 0 ? applyRequests(blank, requests).document : blank;
  return { document, requests, warnings };
}
