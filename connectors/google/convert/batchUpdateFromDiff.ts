/**
 * The push direction of the Google connector: the documents.batchUpdate requests that turn the previous
 * Google document (as read) into a new schema document, at the right UTF-16 indices, built from the end
 * backwards so each request sees the indices the previous ones left. A block-level pass (a key per unit)
 * finds what changed; only changed paragraphs get a character diff; atoms the new document still has are
 * never touched.
 */

import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import { validateDoc } from '../../model/schema.ts';
import { type ConversionWarning, WarningCollector } from '../../model/warnings.ts';
import { editFootnote, editKeptFootnotes, noteParagraph } from './footnotes.ts';
import { lowerDoc } from './lower.ts';
import { firstTab, readUnits } from './readUnits.ts';
import {
  type FootnoteToFill,
  type ImageUriResolver,
  publicUrlsOnly,
  RequestWriter,
} from './requestWriter.ts';
import { editSegment } from './segmentEdits.ts';
import { unitKey } from './unitKey.ts';

/** Options of batchUpdateFromDiff. */
export interface DiffOptions {
  /** Maps an image `src` to a public URI Google can fetch (e.g. after uploading a data: URL); default: http(s) only. */
  imageUri?: ImageUriResolver;
}

/**
 * The requests to send (in order, in one batchUpdate), the footnotes they create (each to be filled by a
 * second batch once the reply names it: `footnoteFillRequests`), and what could not be written.
 */
export interface DiffResult {
  requests: docs_v1.Schema$Request[];
  footnotes: FootnoteToFill[];
  warnings: ConversionWarning[];
}

/**
 * Computes the batchUpdate requests turning `prev` (a documents.get answer) into `next`. `prevDoc` must be
 * `readGoogleDoc(prev).doc` (or its node); when it is not, the diff still starts from `prev` and a warning says so.
 * Throws ConversionError('SCHEMA_INVALID') when `next` is not a valid schema document.
 */
export function batchUpdateFromDiff(
  prev: docs_v1.Schema$Document,
  prevDoc: JSONContent | PMNode,
  next: JSONContent | PMNode,
  options: DiffOptions = {},
): DiffResult {
  // A node is already valid (the sync engine validates each document once); JSON is checked here.
  if (!(next instanceof PMNode)) validateDoc(next);
  const json = (doc: JSONContent | PMNode) => (doc instanceof PMNode ? (doc.toJSON() as JSONContent) : doc);
  prevDoc = json(prevDoc);
  next = json(next);
  const warnings = new WarningCollector();
  const oldUnits = readUnits(prev, new WarningCollector());
  const expected = lowerDoc(prevDoc, new WarningCollector());
  if (expected.map(unitKey).join('\u0004') !== oldUnits.map(unitKey).join('\u0004')) {
    warnings.add(
      'GDOCS_PREVIOUS_MISMATCH',
      'The previous schema document is not the import of the previous Google document',
    );
  }
  const newUnits = lowerDoc(next, warnings);
  const writer = new RequestWriter(warnings, options.imageUri ?? publicUrlsOnly);
  // Footnote segments first: their indices are their own, and a footnote whose reference the body edits
  // delete goes with it.
  editKeptFootnotes(writer, firstTab(prev).footnotes ?? undefined, oldUnits, newUnits);
  editSegment(writer, oldUnits, newUnits);
  return { requests: writer.requests, footnotes: writer.footnotes, warnings: warnings.list() };
}

/**
 * The second batch of a push that created footnotes: the text of each, inserted into the footnote the first
 * batch's reply names (`replies[i].createFootnote.footnoteId`), which holds a space and a newline. Footnotes
 * whose id the reply lacks are left out.
 */
export function footnoteFillRequests(
  footnotes: readonly { footnoteId: string; note: JSONContent[] }[],
): docs_v1.Schema$Request[] {
  const warnings = new WarningCollector();
  const writer = new RequestWriter(warnings, publicUrlsOnly);
  for (const { footnoteId, note } of footnotes)
    editFootnote(writer, footnoteId, null, noteParagraph(note, warnings));
  return writer.requests;
}
