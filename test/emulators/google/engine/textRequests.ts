/**
 * insertText, deleteContentRange and replaceAllText: the requests that add or remove indices. They follow
 * Google's rules: text goes inside an existing paragraph, `\n` splits paragraphs (the new one copies the
 * paragraph style, bullets included), inserted text takes the style of the text before it, some control and
 * private-use characters are stripped, and a delete may not cut a table, an element or a surrogate pair, nor
 * remove the final newline of the body or of a cell, nor the newline before a table or section break.
 */

import { NAMED_STYLE_TYPES } from '../../../../connectors/google/convert/units.ts';
import { invalid } from './errors.ts';
import {
  type Ctx,
  checkRange,
  checkSegment,
  insertionPoint,
  lowerBound,
  paragraphPropsAt,
  paragraphStart,
  splitsSurrogate,
} from './locate.ts';
import {
  type CharUnit,
  computeStarts,
  type ParaProps,
  randomId,
  styleOf,
  type TextStyle,
  type Unit,
  widthOf,
} from './model.ts';
import { bodyEnd } from './serialize.ts';

/** Characters insertText strips: U+0000-U+0008, U+000C-U+001F and the BMP private use area. */
export function stripUnsupported(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c <= 0x08 || (c >= 0x0c && c <= 0x1f) || (c >= 0xe000 && c <= 0xf8ff))) out += text[i];
  }
  return out;
}

/** Every named style but plain text gets a heading id. */
const HEADINGS = new Set<string>(NAMED_STYLE_TYPES.filter((type) => type !== 'NORMAL_TEXT'));

/** A fresh heading id in Google's form, for paragraphs whose named style is a heading. */
export function newHeadingId(): string {
  return `h.${randomId(12)}`;
}

/** The properties a paragraph created by an inserted `\n` gets: a copy of its neighbour's (bullets too). */
export function copyParaProps(pp: ParaProps): ParaProps {
  const paragraphStyle = { ...pp.paragraphStyle };
  if (HEADINGS.has(paragraphStyle.namedStyleType ?? '')) paragraphStyle.headingId = newHeadingId();
  else delete paragraphStyle.headingId;
  const out: ParaProps = { paragraphStyle };
  if (pp.bullet) out.bullet = pp.bullet;
  return out;
}

/** The style inserted content takes: that of the text just before it in the paragraph, without link. */
export function inheritedStyle(units: readonly Unit[], p: number): TextStyle {
  const before = units[p - 1];
  const source = before && ((before.k === 'c' && before.ch !== '\n') || before.k === 'e') ? before : units[p];
  const ts = (source && styleOf(source)) ?? {};
  if (!ts.link) return ts;
  const { link: _link, underline: _underline, foregroundColor: _color, ...rest } = ts;
  return rest;
}

/** Builds the units of `text` inserted at unit position p (already validated). */
export function textUnits(units: readonly Unit[], p: number, text: string, ts?: TextStyle): Unit[] {
  const style = ts ?? inheritedStyle(units, p);
  const pp = paragraphPropsAt(units, p);
  const out: Unit[] = [];
  for (const ch of text.split('')) {
    if (ch === '\n') out.push({ k: 'c', ch, ts: style, pp: copyParaProps(pp) });
    else out.push({ k: 'c', ch, ts: style });
  }
  return out;
}

/** Resolves `location` or `endOfSegmentLocation` to a body index. */
export function resolveLocation(
  ctx: Ctx,
  location: { index: number; segmentId?: string | undefined } | undefined,
  endOfSegment: { segmentId?: string | undefined } | undefined,
): number {
  if (location && endOfSegment) invalid('Specify only one of location and endOfSegmentLocation.');
  if (location) {
    checkSegment(location.segmentId);
    return location.index;
  }
  if (endOfSegment) {
    checkSegment(endOfSegment.segmentId);
    return bodyEnd(ctx.doc) - 1;
  }
  return invalid('A location or an endOfSegmentLocation must be specified.');
}

/** insertText. */
export function insertText(
  ctx: Ctx,
  req: {
    text?: string | undefined;
    location?: { index: number; segmentId?: string };
    endOfSegmentLocation?: { segmentId?: string };
  },
): void {
  if (!req.text) invalid('Insert text requests must specify text to insert.');
  const index = resolveLocation(ctx, req.location, req.endOfSegmentLocation);
  const p = insertionPoint(ctx.doc, index);
  const text = stripUnsupported(req.text);
  if (text.length === 0) return;
  ctx.doc.units.splice(p, 0, ...textUnits(ctx.doc.units, p, text));
  ctx.ops.push({ t: 'ins', at: index, len: text.length });
}

/** Removes the content [s, e) after checking every structural rule; returns nothing, records the op. */
export function deleteRange(ctx: Ctx, s: number, e: number, starts: number[]): void {
  const units = ctx.doc.units;
  const n = units.length;
  let a = lowerBound(starts, n, s);
  while (a < n && starts[a]! === s && widthOf(units[a]!) === 0) a++;
  if (a > 0 && starts[a - 1]! < s && starts[a - 1]! + widthOf(units[a - 1]!) > s) {
    invalid('The range cannot start inside a paragraph element such as an equation.');
  }
  let b = lowerBound(starts, n, e);
  if (b > 0 && starts[b - 1]! + widthOf(units[b - 1]!) > e) {
    invalid('The range cannot end inside a paragraph element such as an equation.');
  }
  // Structure check: markers inside the range must form whole tables / tables of contents.
  let depth = 0;
  const fail = () =>
    invalid('Invalid deletion range. Cannot delete only part of a table or table of contents.');
  for (let q = a; q < b; q++) {
    const k = units[q]!.k;
    if (k === 'ts' || k === 'tocs') depth++;
    else if (k === 'te' || k === 'toce') {
      if (depth === 0) fail();
      depth--;
    } else if ((k === 'rs' || k === 'cs') && depth === 0) fail();
  }
  while (depth > 0 && b < n && (units[b]!.k === 'te' || units[b]!.k === 'toce') && starts[b] === e) {
    depth--;
    b++;
  }
  if (depth !== 0) fail();
  if (b === n) invalid('The range cannot include the newline character at the end of the segment.');
  if (splitsSurrogate(units, a) || splitsSurrogate(units, b))
    invalid('The range cannot split a surrogate pair.');
  let removesNewline = false;
  for (let q = a; q < b; q++) {
    const u = units[q]!;
    if (u.k !== 'c' || u.ch !== '\n') continue;
    removesNewline = true;
    const next = units[q + 1]!;
    if (q + 1 >= b && (next.k === 'cs' || next.k === 'rs' || next.k === 'te')) {
      invalid('The range cannot include the newline character at the end of a table cell.');
    }
    if (q + 1 >= b && (next.k === 'ts' || next.k === 'tocs' || next.k === 'sb')) {
      invalid(
        'The range cannot delete the newline before a table, table of contents or section break without deleting that element.',
      );
    }
  }
  if (units[a]?.k === 'sb') invalid('The range cannot delete a section break without the newline before it.');
  // Merging paragraphs: the paragraph the range starts in keeps its properties (as in the Docs editor).
  const startsMidParagraph =
    a > 0 && (units[a - 1]!.k === 'c' || units[a - 1]!.k === 'e') && !isNl(units[a - 1]);
  const keep = removesNewline && startsMidParagraph ? paragraphPropsAt(units, a - 1) : null;
  units.splice(a, b - a);
  if (keep) {
    let q = a;
    while (q < units.length && !isNl(units[q])) q++;
    const nl = units[q] as CharUnit;
    units[q] = { ...nl, pp: keep };
  }
  ctx.ops.push({ t: 'del', s, e });
}

function isNl(u: Unit | undefined): boolean {
  return u?.k === 'c' && u.ch === '\n';
}

/** deleteContentRange. */
export function deleteContentRange(
  ctx: Ctx,
  req: { range?: { startIndex: number; endIndex: number; segmentId?: string } | undefined },
): void {
  if (!req.range) invalid('A range must be specified.');
  const { s, e, starts } = checkRange(ctx.doc, req.range);
  deleteRange(ctx, s, e, starts);
}

function lowerUnit(ch: string): string {
  const l = ch.toLowerCase();
  return l.length === 1 ? l : ch;
}

/** replaceAllText; returns the number of occurrences replaced. */
export function replaceAllText(
  ctx: Ctx,
  req: {
    containsText?: { text?: string; matchCase?: boolean } | undefined;
    replaceText?: string | undefined;
  },
): number {
  const needle = req.containsText?.text;
  if (!needle) invalid('containsText.text must not be empty.');
  const matchCase = req.containsText?.matchCase === true;
  const units = ctx.doc.units;
  const fold = (ch: string) => (matchCase ? ch : lowerUnit(ch));
  const hay = units.map((u) => (u.k === 'c' ? fold(u.ch) : '\u0000')).join('');
  const pattern = needle.split('').map(fold).join('');
  const found: number[] = [];
  for (let at = hay.indexOf(pattern); at >= 0; at = hay.indexOf(pattern, at + pattern.length)) found.push(at);
  const replacement = stripUnsupported(req.replaceText ?? '');
  for (let i = found.length - 1; i >= 0; i--) {
    const starts = computeStarts(ctx.doc.units);
    const p = found[i]!;
    const s = starts[p]!;
    const e = s + pattern.length;
    const style = styleOf(ctx.doc.units[p]!) ?? {};
    deleteRange(ctx, s, e, starts);
    if (replacement.length > 0) {
      ctx.doc.units.splice(p, 0, ...textUnits(ctx.doc.units, p, replacement, style));
      ctx.ops.push({ t: 'ins', at: s, len: replacement.length });
    }
  }
  return found.length;
}

/** Leading tab units of the paragraph holding position p (used by createParagraphBullets). */
export function leadingTabs(units: readonly Unit[], p: number): { first: number; count: number } {
  const first = paragraphStart(units, p);
  let count = 0;
  while (units[first + count]?.k === 'c' && (units[first + count] as CharUnit).ch === '\t') count++;
  return { first, count };
}
