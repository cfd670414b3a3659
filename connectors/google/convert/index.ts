/**
 * The Google Docs converter: `readGoogleDoc` (Docs API v1 Document to schema JSON),
 * `writeGoogleDoc` (schema JSON to the Document JSON of a brand-new Google document) and
 * `batchUpdateFromDiff` (the requests that carry a schema edit to an existing document).
 */

import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { stampAtoms } from '../../model/atomSeal.ts';
import { normalizeDoc, validateDoc } from '../../model/schema.ts';
import { type ConversionWarning, WarningCollector } from '../../model/warnings.ts';
import type { DiffOptions } from './batchUpdateFromDiff.ts';
import { documentFromUnits } from './documentJson.ts';
import { lowerDoc } from './lower.ts';
import { raiseSegment } from './raise.ts';
import { readUnits } from './readUnits.ts';
import { publicUrlsOnly } from './requestWriter.ts';

export {
  batchUpdateFromDiff,
  type DiffOptions,
  type DiffResult,
  footnoteFillRequests,
} from './batchUpdateFromDiff.ts';

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
  // Only what this reader raised from Google's answer is stamped (not normalizeForGoogle's output).
  stampAtoms(content);
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
  /** The Document JSON Google would hold (computed offline from the converter's units). */
  document: docs_v1.Schema$Document;
  warnings: ConversionWarning[];
}

/**
 * Exports a schema document as the Document JSON of a brand-new Google document (the CLI's `.gdoc.json`),
 * built directly from the converter's units: footnotes are real footnotes, and ids are stable, so the same
 * input always gives the same file. Throws ConversionError('SCHEMA_INVALID') for an invalid document.
 */
export function writeGoogleDoc(
  doc: JSONContent,
  options: DiffOptions & { title?: string } = {},
): GoogleWriteResult {
  validateDoc(doc);
  const warnings = new WarningCollector();
  const units = lowerDoc(normalizeDoc(doc), warnings);
  const document = documentFromUnits(
    units,
    {
      title: options.title ?? 'Untitled document',
      documentId: 'docbridge-export',
      revisionId: 'docbridge-export',
    },
    warnings,
    options.imageUri ?? publicUrlsOnly,
  );
  return { document, warnings: warnings.list() };
}
