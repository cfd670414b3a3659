/**
 * Loads a hand-built or stored Document JSON into the engine and returns it as the engine serialises it,
 * every index recomputed. Tests use it to build realistic documents with content the API cannot create
 * (footnote references, equations, suggestions, tables of contents).
 */
import { flattenDocument } from './flatten.ts';
import type { Document } from './model.ts';
import { toDocumentJson } from './serialize.ts';

/** The document with every startIndex/endIndex recomputed (element widths kept when both are given). */
export function reindexDocument(doc: Document): Document {
  return toDocumentJson(flattenDocument(doc));
}
