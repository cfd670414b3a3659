/**
 * Content keys of units, ignoring where they sit in Google (indices) and what only labels an atom (its
 * label, e.g. a footnote number that shifts when a footnote is added before it). Equal keys mean "nothing
 * to write"; the pairing class says which old and new units may be edited into each other.
 */
import { marksKey } from './project.ts';
import type { Inline, ParaUnit, TableUnit, Unit } from './units.ts';

/** Key of an inline (atoms by kind, source and payload only). */
export function inlineKey(i: Inline): string {
  if (i.t === 'text') return `t${marksKey(i.marks)}:${i.text}`;
  if (i.t === 'image') return `i${JSON.stringify([i.src, i.alt, i.title])}`;
  return `a${JSON.stringify([i.kind, i.source, i.payload])}`;
}

/** Key of a unit's modelled content. */
export function unitKey(u: Unit): string {
  if (u.k === 'atom') return `A${JSON.stringify([u.kind, u.source, u.payload])}`;
  if (u.k === 'table') {
    return `T${u.headerRows}:${u.rows.map((row) => row.map((c) => (c.covered ? 'x' : `${c.colspan},${c.rowspan}{${c.content.map(unitKey).join('\u0001')}}`)).join('\u0002')).join('\u0003')}`;
  }
  const b = u.bullet ? `${u.bullet.level}${u.bullet.ordered ? 'o' : 'b'}` : '-';
  return `P${u.style}|${b}|${u.quote ? 'q' : ''}${u.code ? 'c' : ''}${u.hr ? 'h' : ''}|${u.inlines.map(inlineKey).join('\u0001')}`;
}

/** True when the table has merged cells. */
export function hasSpans(t: TableUnit): boolean {
  return t.rows.some((row) => row.some((c) => c.covered || c.colspan > 1 || c.rowspan > 1));
}

/** Which units can be edited into each other (others are deleted and inserted). */
export function pairClass(u: Unit): string {
  if (u.k === 'atom') return `atom:${unitKey(u)}`;
  if (u.k === 'p') return u.hr ? 'hr' : 'p';
  const columns = u.rows[0]?.length ?? 0;
  if (!hasSpans(u)) return `t:${columns}`;
  const layout = u.rows
    .map((row) => row.map((c) => `${c.covered ? 'x' : ''}${c.colspan}${c.rowspan}`).join(','))
    .join(';');
  return `ts:${layout}`;
}

function plainText(u: ParaUnit): string {
  return u.inlines.map((i) => (i.t === 'text' ? i.text : '\u0000')).join('');
}

/**
 * How much it is worth editing old unit `o` into new unit `n` (same class): objects they share weigh most
 * (pairing must never force an atom to be deleted and re-created), then the text they share at both ends.
 */
export function pairScore(o: Unit, n: Unit): number {
  if (o.k === 'p' && n.k === 'p') {
    const objects = new Set(o.inlines.filter((i) => i.t !== 'text').map(inlineKey));
    const shared = n.inlines.filter((i) => i.t !== 'text' && objects.has(inlineKey(i))).length;
    const a = plainText(o);
    const b = plainText(n);
    const max = Math.min(a.length, b.length);
    let prefix = 0;
    while (prefix < max && a[prefix] === b[prefix]) prefix++;
    let suffix = 0;
    while (suffix < max - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
    return 1 + 1000 * shared + Math.floor((100 * (prefix + suffix)) / Math.max(a.length, b.length, 1));
  }
  if (o.k === 'table' && n.k === 'table') {
    const cells = new Set(o.rows.flat().map((c) => c.content.map(unitKey).join('\u0001')));
    const same = n.rows.flat().filter((c) => cells.has(c.content.map(unitKey).join('\u0001'))).length;
    return 1 + Math.floor((100 * same) / Math.max(1, n.rows.flat().length));
  }
  return 1;
}
