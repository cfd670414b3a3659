/**
 * The engine's in-memory form of a Google Doc body: a flat sequence of units, one per index position
 * (UTF-16 code unit of text, non-text paragraph element, table/row/cell start marker, section break), plus
 * zero-width table ends. Google's own model is linear in the same way, which is why every request is an
 * index range: keeping it flat makes inserts, deletes and index recomputation plain array splices.
 */
import type { docs_v1 } from '@googleapis/docs';

/** Docs API v1 types, from the @googleapis/docs client (generated from Google's discovery document). */
export type Document = docs_v1.Schema$Document;
export type Request = docs_v1.Schema$Request;
export type Response = docs_v1.Schema$Response;
export type TextStyle = docs_v1.Schema$TextStyle;
export type ParagraphStyle = docs_v1.Schema$ParagraphStyle;
export type Bullet = docs_v1.Schema$Bullet;
export type List = docs_v1.Schema$List;
export type InlineObject = docs_v1.Schema$InlineObject;
export type StructuralElement = docs_v1.Schema$StructuralElement;

/** Paragraph-level properties, carried by the paragraph's final `\n` unit. */
export interface ParaProps {
  paragraphStyle: ParagraphStyle;
  bullet?: Bullet;
  /** Other paragraph fields kept verbatim (suggestion maps, positionedObjectIds...). */
  extra?: Record<string, unknown>;
}

/** One UTF-16 code unit of text; `pp` only on `\n`; `x` holds textRun extras such as suggestion ids. */
export interface CharUnit {
  k: 'c';
  ch: string;
  ts: TextStyle;
  x?: Record<string, unknown>;
  pp?: ParaProps;
}
/** A non-text paragraph element (inline object, footnote reference, page break, equation...), `w` indices. */
export interface ElementUnit {
  k: 'e';
  w: number;
  el: Record<string, unknown>;
}
/** Table start marker (one index); the table's own fields minus rows. */
export interface TableStartUnit {
  k: 'ts';
  table: Record<string, unknown>;
}
/** Row start marker (one index). */
export interface RowStartUnit {
  k: 'rs';
  row: Record<string, unknown>;
}
/** Cell start marker (one index); the cell's style. */
export interface CellStartUnit {
  k: 'cs';
  cell: Record<string, unknown>;
}
/** Table end (no index: the paragraph after a table starts at the table's end index). */
export interface TableEndUnit {
  k: 'te';
}
/** A section break (one index; the first one is [0, 1)). */
export interface SectionBreakUnit {
  k: 'sb';
  sb: Record<string, unknown>;
}
/** Table of contents start (one index, UNCONFIRMED) and end (none). */
export interface TocStartUnit {
  k: 'tocs';
  toc: Record<string, unknown>;
}
/** End of a table of contents. */
export interface TocEndUnit {
  k: 'toce';
}
/** One position of the flat document. */
export type Unit =
  | CharUnit
  | ElementUnit
  | TableStartUnit
  | RowStartUnit
  | CellStartUnit
  | TableEndUnit
  | SectionBreakUnit
  | TocStartUnit
  | TocEndUnit;

/** The whole document as the engine edits it. Units are immutable: edits replace them. */
export interface FlatDoc {
  /** Every top-level Document field except body, footnotes, lists, inlineObjects (kept verbatim). */
  meta: Document;
  units: Unit[];
  /**
   * Each footnote's segment by footnote id, flat like the body (its indices start at 0, with no section
   * break). A footnote lives as long as its reference: the serialiser drops the unreferenced ones.
   */
  footnotes: Record<string, Unit[]>;
  lists: Record<string, List>;
  inlineObjects: Record<string, InlineObject>;
}

/** How many indices a unit occupies. */
export function widthOf(u: Unit): number {
  if (u.k === 'e') return u.w;
  if (u.k === 'te' || u.k === 'toce') return 0;
  return 1;
}

/** Start index of every unit (non-decreasing; zero-width units share the next unit's index). */
export function computeStarts(units: readonly Unit[]): number[] {
  const starts = new Array<number>(units.length + 1);
  let at = 0;
  for (let i = 0; i < units.length; i++) {
    starts[i] = at;
    at += widthOf(units[i]!);
  }
  starts[units.length] = at;
  return starts;
}

/** True for units that end a paragraph's content run (markers and section breaks). */
export function isMarker(u: Unit): boolean {
  return u.k !== 'c' && u.k !== 'e';
}

/** True for the `\n` that closes a paragraph. */
export function isNewline(u: Unit | undefined): u is CharUnit {
  return u !== undefined && u.k === 'c' && u.ch === '\n';
}

/** Shallow copy of the document so a failed batch can be discarded (units are immutable). */
export function cloneFlat(doc: FlatDoc): FlatDoc {
  return {
    meta: doc.meta,
    units: doc.units.slice(),
    footnotes: Object.fromEntries(Object.entries(doc.footnotes).map(([id, units]) => [id, units.slice()])),
    lists: { ...doc.lists },
    inlineObjects: { ...doc.inlineObjects },
  };
}

/** The text style of a text or element unit (elements keep it inside their own object). */
export function styleOf(u: Unit): TextStyle | undefined {
  if (u.k === 'c') return u.ts;
  if (u.k === 'e') {
    const inner = Object.values(u.el)[0] as { textStyle?: TextStyle } | undefined;
    return inner?.textStyle;
  }
  return undefined;
}

/** A short random id in Google's style (`kix.` prefixes are added by callers). */
export function randomId(length = 12): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

/** The start index of unit position p. */
export function startOf(units: readonly Unit[], p: number): number {
  let at = 0;
  for (let i = 0; i < p; i++) at += widthOf(units[i]!);
  return at;
}
