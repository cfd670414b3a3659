/**
 * The shapes shared by the docx reader and writer: what `readDocx` keeps of the original package so that
 * `writeDocx` can patch it (each top-level body block's original XML and the hash of the schema JSON it
 * imported to, recursively for list items and table cells), and the context objects of both passes.
 */
import type { JSONContent } from '@tiptap/core';
import type { ReadParts } from './zipPackage.ts';

/** Original properties of a paragraph, reused when it is regenerated. */
export interface SourceParagraph {
  /** The `<w:pPr>` element as written, if any. */
  pPr?: string;
  /** The `<w:rPr>` of its first text run, if any: the paragraph's "base" character formatting. */
  rPr?: string;
  /** Its paragraph style id, if any. */
  styleId?: string;
}

/** One paragraph of a list or quote group. */
export interface SourceItem {
  hash: string;
  /** Verbatim XML (leading non-content siblings such as body-level bookmarks included). */
  xml: string;
  para: SourceParagraph;
  numId?: string;
}

/** One table cell present in the schema JSON (vertically merged continuation cells are not). */
export interface SourceCell {
  tcPr?: string;
  blocks: SourceBlock[];
  /** Content after the last block (Word's mandatory empty paragraph after a nested table). */
  tail: string;
  /** Where the cell's content (after `w:tcPr`, through the tail) lies in the table's `xml`: [from, to). */
  content: [number, number];
}

/** What a table kept of its original. */
export interface SourceTable {
  tblPr?: string;
  tblGrid?: string;
  rows: { trPr?: string; cells: SourceCell[] }[];
  /** The table's original XML, verbatim. */
  xml: string;
  /** Its rows and cells without their content (`tableShape`): an equal shape lets a patch keep the XML. */
  shape: string;
}

/** One block of a container (the body or a table cell) as imported. */
export interface SourceBlock {
  kind: 'paragraph' | 'list' | 'quote' | 'table' | 'other';
  /** Hash of the canonical schema JSON this block imported to. */
  hash: string;
  /** The block's original XML, verbatim, including leading non-content siblings. */
  xml: string;
  para?: SourceParagraph;
  /** Lists and quotes: one entry per paragraph, in order. */
  items?: SourceItem[];
  /** Lists: the numbering instance of the first item and the start value read. */
  numId?: string;
  start?: number;
  table?: SourceTable;
}

/** What a later patch needs of the original package. */
export interface DocxSource {
  /** Every part of the original package, bytes untouched. */
  parts: ReadParts;
  /** Name of the main document part (usually `word/document.xml`). */
  documentPart: string;
  /** Original document.xml text (BOM removed) and whether it had a BOM. */
  documentXml: string;
  bom: boolean;
  /** Text before the first block (through `<w:body>`), and after the last (sectPr, closing tags). */
  head: string;
  tail: string;
  blocks: SourceBlock[];
  /** The body had no block and the schema got one synthetic empty paragraph. */
  syntheticEmpty: boolean;
  /** Strict OOXML (purl.oclc.org namespaces). */
  strict: boolean;
  /** Namespace declarations of the document root (prefix -> URI). */
  rootNamespaces: Record<string, string>;
}

/** Schema JSON node (re-exported for the converter's modules). */
export type Json = JSONContent;
