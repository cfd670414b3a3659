/**
 * The one entry point for "write this document over this original .docx": used by export (a document
 * imported from a .docx keeps that file as its base), by `docbridge convert --base`, and by the Microsoft
 * connector's pushes, so all three patch the package the same way (unchanged blocks byte for byte; notes,
 * comments, headers, footers, styles, media and settings carried over).
 */
import { readDocx } from './readDocx.ts';
import type { Json } from './types.ts';
import { type WriteDocxResult, writeDocx } from './writeDocx.ts';

/** Writes `doc` over the package `original` (its bytes as stored or downloaded). */
export function writeDocxOver(doc: Json, original: Uint8Array): WriteDocxResult {
  return writeDocx(doc, { base: readDocx(original).source });
}
