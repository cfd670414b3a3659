/**
 * Index arithmetic over the flat units: where an index falls, which paragraph holds it, which segment
 * bounds apply. Every request handler validates its indices through these helpers so the error wording
 * stays the same everywhere.
 */
import { invalid } from './errors.ts';
import { type CharUnit, computeStarts, type FlatDoc, type ParaProps, type Unit, widthOf } from './model.ts';

/**
 * An index-level edit a request made, recorded for writeControl.targetRevisionId transforms; `seg` is the
 * footnote it edited (absent for the body), since each segment has its own indices.
 */
export type PrimitiveOp = ({ t: 'ins'; at: number; len: number } | { t: 'del'; s: number; e: number }) & {
  seg?: string;
};

/** Mutable state of one batch being applied. */
export interface Ctx {
  doc: FlatDoc;
  ops: PrimitiveOp[];
}

/** The first index content can have: 1 in the body (after its section break), 0 in a footnote. */
function firstIndex(units: readonly Unit[]): number {
  return units[0]?.k === 'sb' ? 1 : 0;
}

/** First unit position whose start index is >= index. */
export function lowerBound(starts: readonly number[], count: number, index: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isHigh = (u: Unit | undefined) => u?.k === 'c' && /[\uD800-\uDBFF]/.test(u.ch);
const isLow = (u: Unit | undefined) => u?.k === 'c' && /[\uDC00-\uDFFF]/.test(u.ch);

/** True when a boundary before unit position p would split a surrogate pair. */
export function splitsSurrogate(units: readonly Unit[], p: number): boolean {
  return isLow(units[p]) && isHigh(units[p - 1]);
}

/** Rejects a segment the request cannot address (headers and footers are not modelled). */
export function checkSegment(segmentId: string | null | undefined): void {
  if (segmentId)
    invalid(`The segment ID ${segmentId} does not refer to a header, footer or footnote of this document.`);
}

/**
 * The unit position where text inserted at `index` goes, after checking that the index is inside an
 * existing paragraph (not at a table start, not between cells, not past the end, not inside an element).
 */
export function insertionPoint(doc: FlatDoc, index: number): number {
  const units = doc.units;
  const starts = computeStarts(units);
  const end = starts[units.length]!;
  const min = firstIndex(units);
  if (index < min) invalid(`Index ${index} must be greater than or equal to ${min}.`);
  if (index >= end)
    invalid(`Index ${index} must be less than the end index of the referenced segment, ${end}.`);
  let p = lowerBound(starts, units.length, index);
  while (p < units.length && widthOf(units[p]!) === 0) p++;
  if (starts[p] !== index)
    invalid(`Index ${index} falls inside a paragraph element; insert before or after it.`);
  const u = units[p]!;
  if (u.k !== 'c' && u.k !== 'e') {
    invalid(
      'The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.',
    );
  }
  if (splitsSurrogate(units, p)) invalid(`Index ${index} would split a surrogate pair.`);
  return p;
}

/** The position of the `\n` closing the paragraph that holds unit position p. */
export function paragraphEnd(units: readonly Unit[], p: number): number {
  let q = p;
  while (q < units.length) {
    const u = units[q]!;
    if (u.k === 'c' && u.ch === '\n') return q;
    if (u.k !== 'c' && u.k !== 'e') break;
    q++;
  }
  throw new Error('engine invariant broken: no paragraph end');
}

/** The position of the first unit of the paragraph that holds unit position p. */
export function paragraphStart(units: readonly Unit[], p: number): number {
  let q = p;
  while (q > 0) {
    const prev = units[q - 1]!;
    if ((prev.k === 'c' && prev.ch === '\n') || (prev.k !== 'c' && prev.k !== 'e')) break;
    q--;
  }
  return q;
}

/** The paragraph properties of the paragraph holding unit position p. */
export function paragraphPropsAt(units: readonly Unit[], p: number): ParaProps {
  const nl = units[paragraphEnd(units, p)] as CharUnit;
  return nl.pp ?? { paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' } };
}

/** True when unit position p lies inside a table cell (at any depth). */
export function insideTable(units: readonly Unit[], p: number): boolean {
  let depth = 0;
  for (let q = p - 1; q >= 0; q--) {
    const k = units[q]!.k;
    if (k === 'te') depth++;
    else if (k === 'ts') {
      if (depth === 0) return true;
      depth--;
    }
  }
  return false;
}

/** Checks a range's indices against the body and returns them with the current unit starts. */
export function checkRange(
  doc: FlatDoc,
  range: { startIndex: number; endIndex: number; segmentId?: string | null | undefined },
): { s: number; e: number; starts: number[]; end: number } {
  checkSegment(range.segmentId);
  const starts = computeStarts(doc.units);
  const end = starts[doc.units.length]!;
  const s = range.startIndex;
  const e = range.endIndex;
  const min = firstIndex(doc.units);
  if (s < min) invalid(`Index ${s} must be greater than or equal to ${min}.`);
  if (e > end)
    invalid(`Index ${e} must be less than or equal to the end index of the referenced segment, ${end}.`);
  if (s >= e) invalid(`The range [${s}, ${e}) must not be empty; startIndex must be less than endIndex.`);
  return { s, e, starts, end };
}

/** Positions [first, last] of the paragraphs' `\n` units whose paragraph overlaps [s, e). */
export function paragraphsOverlapping(doc: FlatDoc, s: number, e: number, starts: number[]): number[] {
  const units = doc.units;
  const out: number[] = [];
  let p = lowerBound(starts, units.length, s);
  while (p < units.length && starts[p]! === s && widthOf(units[p]!) === 0) p++;
  // Start from the paragraph holding s (if s is inside one), then every newline until e.
  if (p < units.length && (units[p]!.k === 'c' || units[p]!.k === 'e')) p = paragraphStart(units, p);
  for (let q = p; q < units.length; q++) {
    const u = units[q]!;
    const para = u.k === 'c' || u.k === 'e';
    if (!para) {
      if (starts[q]! >= e) break;
      continue;
    }
    const first = q;
    const nl = paragraphEnd(units, q);
    if (starts[first]! >= e) break;
    out.push(nl);
    q = nl;
  }
  return out;
}
