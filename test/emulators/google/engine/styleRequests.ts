/**
 * updateTextStyle and updateParagraphStyle with Google's field-mask semantics: `fields` is required
 * (`"bold,italic"` or `"*"`), listed fields without a value are reset to inherit, unlisted fields are
 * untouched, a value equal to the parent's default is stored as "inherit" (left out), setting a link also
 * underlines and colours the text unless those fields are set too, and links skip newline characters.
 */

import { NAMED_STYLE_TYPES } from '../../../../connectors/google/convert/units.ts';
import { invalid } from './errors.ts';
import { type Ctx, checkRange, lowerBound, paragraphsOverlapping } from './locate.ts';
import type { CharUnit, ParagraphStyle, TextStyle, Unit } from './model.ts';
import { newHeadingId } from './textRequests.ts';

/** TextStyle fields a mask may name. */
export const TEXT_STYLE_FIELDS = [
  'backgroundColor',
  'baselineOffset',
  'bold',
  'fontSize',
  'foregroundColor',
  'italic',
  'link',
  'smallCaps',
  'strikethrough',
  'underline',
  'weightedFontFamily',
] as const;

/** Writable ParagraphStyle fields a mask may name (headingId and tabStops are read-only). */
export const PARAGRAPH_STYLE_FIELDS = [
  'alignment',
  'avoidWidowAndOrphan',
  'borderBetween',
  'borderBottom',
  'borderLeft',
  'borderRight',
  'borderTop',
  'direction',
  'indentEnd',
  'indentFirstLine',
  'indentStart',
  'keepLinesTogether',
  'keepWithNext',
  'lineSpacing',
  'namedStyleType',
  'pageBreakBefore',
  'shading',
  'spaceAbove',
  'spaceBelow',
  'spacingMode',
] as const;

const BOOLEAN_FIELDS = new Set(['bold', 'italic', 'underline', 'strikethrough', 'smallCaps']);
const LINK_COLOR = { color: { rgbColor: { red: 0.06666667, green: 0.33333334, blue: 0.8 } } };

/** Parses a field mask against the allowed names (camelCase or snake_case; `*` means all). */
export function parseFields(fields: string | undefined, allowed: readonly string[]): string[] {
  if (fields === undefined || fields.trim() === '') {
    invalid('fields is required: list the fields to update, or use "*" for all of them.');
  }
  if (fields.trim() === '*') return [...allowed];
  const out: string[] = [];
  for (const raw of fields.split(',')) {
    const name = raw.trim().replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!allowed.includes(name)) invalid(`Unknown or read-only field in fields: "${raw.trim()}".`);
    out.push(name);
  }
  return out;
}

function applyTextFields(
  ts: TextStyle,
  style: TextStyle,
  fields: readonly string[],
  newline: boolean,
): TextStyle {
  const out: Record<string, unknown> = { ...ts };
  const given = style as Record<string, unknown>;
  for (const f of fields) {
    if (f === 'link' && newline) continue;
    const v = given[f];
    if (v === undefined || v === null || (v === false && BOOLEAN_FIELDS.has(f))) delete out[f];
    else out[f] = v;
  }
  if (fields.includes('link') && !newline) {
    if (given.link) {
      if (!fields.includes('underline')) out.underline = true;
      if (!fields.includes('foregroundColor')) out.foregroundColor = LINK_COLOR;
    } else if (ts.link) {
      if (!fields.includes('underline')) delete out.underline;
      if (!fields.includes('foregroundColor')) delete out.foregroundColor;
    }
  }
  return out as TextStyle;
}

/** updateTextStyle. */
export function updateTextStyle(
  ctx: Ctx,
  req: {
    range?: { startIndex: number; endIndex: number; segmentId?: string };
    textStyle?: TextStyle;
    fields?: string;
  },
): void {
  if (!req.range) invalid('A range must be specified.');
  const fields = parseFields(req.fields, TEXT_STYLE_FIELDS);
  const style = req.textStyle ?? {};
  const wff = style.weightedFontFamily;
  if (fields.includes('weightedFontFamily') && wff) {
    if (!wff.fontFamily) invalid('weightedFontFamily.fontFamily must be set when weightedFontFamily is set.');
    if (wff.weight === undefined || wff.weight === null) style.weightedFontFamily = { ...wff, weight: 400 };
  }
  if (fields.includes('link') && style.link) {
    const { url, bookmarkId, headingId, bookmark, heading } = style.link;
    if (!url && !bookmarkId && !headingId && !bookmark && !heading)
      invalid('link must have a url, bookmark or heading.');
  }
  const { s, e, starts } = checkRange(ctx.doc, req.range);
  const units = ctx.doc.units;
  const cache = new Map<TextStyle, TextStyle>();
  const restyle = (ts: TextStyle, newline: boolean) => {
    if (newline) return applyTextFields(ts, style, fields, true);
    let hit = cache.get(ts);
    if (!hit) {
      hit = applyTextFields(ts, style, fields, false);
      cache.set(ts, hit);
    }
    return hit;
  };
  for (let q = lowerBound(starts, units.length, s); q < units.length && starts[q]! < e; q++) {
    const u = units[q]!;
    if (u.k === 'c') units[q] = { ...u, ts: restyle(u.ts, u.ch === '\n') };
    else if (u.k === 'e') {
      const [kind, inner] = Object.entries(u.el)[0] as [string, { textStyle?: TextStyle }];
      const next: Unit = {
        ...u,
        el: { ...u.el, [kind]: { ...inner, textStyle: restyle(inner.textStyle ?? {}, false) } },
      };
      units[q] = next;
    }
  }
}

/** updateParagraphStyle. */
export function updateParagraphStyle(
  ctx: Ctx,
  req: {
    range?: { startIndex: number; endIndex: number; segmentId?: string };
    paragraphStyle?: ParagraphStyle;
    fields?: string;
  },
): void {
  if (!req.range) invalid('A range must be specified.');
  const fields = parseFields(req.fields, PARAGRAPH_STYLE_FIELDS);
  const style = (req.paragraphStyle ?? {}) as Record<string, unknown>;
  const named = style.namedStyleType;
  if (fields.includes('namedStyleType') && named !== undefined) {
    if (!(NAMED_STYLE_TYPES as readonly unknown[]).includes(named))
      invalid(`Unknown namedStyleType "${String(named)}".`);
  }
  const { s, e, starts } = checkRange(ctx.doc, req.range);
  const units = ctx.doc.units;
  for (const nl of paragraphsOverlapping(ctx.doc, s, e, starts)) {
    const u = units[nl] as CharUnit;
    const pp = u.pp ?? { paragraphStyle: { namedStyleType: 'NORMAL_TEXT' } };
    const next: Record<string, unknown> = { ...pp.paragraphStyle };
    // The named style type is applied first, then the other fields.
    const ordered = [...fields].sort((a, b) =>
      a === 'namedStyleType' ? -1 : b === 'namedStyleType' ? 1 : 0,
    );
    for (const f of ordered) {
      const v = style[f];
      if (v === undefined || v === null) {
        if (f === 'namedStyleType') next.namedStyleType = 'NORMAL_TEXT';
        else delete next[f];
      } else next[f] = v;
    }
    const type = String(next.namedStyleType ?? 'NORMAL_TEXT');
    if (type === 'NORMAL_TEXT') delete next.headingId;
    else if (type !== pp.paragraphStyle.namedStyleType || !next.headingId) next.headingId = newHeadingId();
    units[nl] = { ...u, pp: { ...pp, paragraphStyle: next as ParagraphStyle } };
  }
}
