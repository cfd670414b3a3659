/**
 * The Google-shaped intermediate form both directions share: a segment (the body, a table cell) is a list
 * of units, each a paragraph, a table or an opaque block. Reading a Document and lowering a schema document
 * both end in the same projection (`project.ts`), so two units are equal exactly when Google would hold the
 * same modelled content: that equality is what the diff compares, and what makes round trips fixpoints.
 */
import type { JSONContent } from '@tiptap/core';

/** Text marks Google can hold and the schema can express. */
export interface Marks {
  bold?: true;
  italic?: true;
  underline?: true;
  strike?: true;
  code?: true;
  /** `url`, or `#heading=<id>` / `#bookmark=<id>` for links inside the document. */
  link?: string;
}

/** A run of text with one set of marks; `\u000b` is a line break (hardBreak). */
export interface TextInline {
  t: 'text';
  text: string;
  marks: Marks;
}
/** An inline image; `src` is an https URL (or a data: URL that Google cannot take by URI). */
export interface ImageInline {
  t: 'image';
  src: string;
  alt: string | null;
  title: string | null;
}
/** An inline thing the schema does not model, kept as an opaque atom (`atomInline`). */
export interface AtomInline {
  t: 'atom';
  kind: string;
  label: string;
  source: string;
  payload: string;
  /**
   * For a footnote: its text (schema inline JSON), so it reads as a `note` node. A footnote read from Google
   * (`source: 'gdocs'`) is identified by its reference (kind, source, payload), never re-created: only its text
   * is edited, in its own segment. Any other footnote is created (`createFootnote`), then filled.
   */
  note?: JSONContent[];
}
/** Anything inside a paragraph. */
export type Inline = TextInline | ImageInline | AtomInline;

/** The named style types a Google paragraph may have (Docs API `namedStyleType`). */
export const NAMED_STYLE_TYPES = [
  'NORMAL_TEXT',
  'TITLE',
  'SUBTITLE',
  'HEADING_1',
  'HEADING_2',
  'HEADING_3',
  'HEADING_4',
  'HEADING_5',
  'HEADING_6',
] as const;

/** Google named paragraph styles the schema carries. */
export type NamedStyle = (typeof NAMED_STYLE_TYPES)[number];

/** Where a read paragraph sits in the Google document: its range and the start index of each inline. */
export interface ParaIndex {
  start: number;
  /** One past the paragraph's `\n`. */
  end: number;
  /** Start index of each inline; text inlines occupy one index per UTF-16 code unit. */
  inlineStarts: number[];
  /** Index width of each inline (text: its length; others: the element's width). */
  inlineWidths: number[];
}

/** A paragraph with its named style, list bullet and the flags that carry quote, code line and rule. */
export interface ParaUnit {
  k: 'p';
  style: NamedStyle;
  bullet: { level: number; ordered: boolean } | null;
  /** Indented paragraph, the form a blockquote takes in Google. */
  quote: boolean;
  /** Shaded monospace paragraph, one line of a code block. */
  code: boolean;
  /** A horizontal rule (a paragraph holding Google's horizontal rule, or an empty bottom-bordered one). */
  hr: boolean;
  inlines: Inline[];
  g?: ParaIndex;
}

/** One grid position of a table; covered positions exist in Google and are skipped by the schema. */
export interface CellUnit {
  /** True for a cell covered by another cell's span (Google keeps it; the schema does not). */
  covered: boolean;
  colspan: number;
  rowspan: number;
  content: Unit[];
  /** Index of the cell's start marker, when read from Google. */
  g?: { start: number };
}

/** A table as a full grid of cells. */
export interface TableUnit {
  k: 'table';
  /** Full grid, covered cells included: rows x columns. */
  rows: CellUnit[][];
  /** How many leading rows are header rows (Google's pinned header rows). */
  headerRows: number;
  g?: { start: number; end: number };
}

/** A block the schema does not model (table of contents, section break...), kept as `atomBlock`. */
export interface AtomBlockUnit {
  k: 'atom';
  kind: string;
  label: string;
  source: string;
  payload: string;
  g?: { start: number; end: number };
}

/** One structural element of a segment. */
export type Unit = ParaUnit | TableUnit | AtomBlockUnit;

/** The index range a read unit occupies. */
export function unitRange(u: Unit): { start: number; end: number } {
  const g = u.g as { start: number; end: number } | undefined;
  if (!g) throw new Error('unit has no Google index (it was not read from a document)');
  return { start: g.start, end: g.end };
}
