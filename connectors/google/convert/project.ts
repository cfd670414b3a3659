/**
 * The projection of units onto what both Google and the schema can hold. Reading a Document and lowering a
 * schema document both end here, so `lower(raise(read(doc)))` equals `read(doc)` and an unchanged document
 * diffs to nothing. The rules mirror the schema: code excludes other marks, links carry no extra underline,
 * line breaks carry no marks, list items are plain paragraphs nested one level at a time, a code line is
 * unmarked text in NORMAL_TEXT, a rule is an empty NORMAL_TEXT paragraph.
 */
import type { WarningCollector } from '../../model/warnings.ts';
import { LINE_BREAK, splitLineBreaks } from './text.ts';
import type { Inline, Marks, ParaUnit, TextInline, Unit } from './units.ts';

/** Maximum list nesting Google supports (levels 0..8). */
export const MAX_LIST_LEVEL = 8;

function normalMarks(marks: Marks, warnings: WarningCollector): Marks {
  if (marks.code) {
    if (marks.bold || marks.italic || marks.underline || marks.strike || marks.link) {
      warnings.add('GDOCS_CODE_MARKS', 'Other marks on code (monospace) text are not kept');
    }
    return { code: true };
  }
  const out: Marks = {};
  if (marks.bold) out.bold = true;
  if (marks.italic) out.italic = true;
  if (marks.underline && !marks.link) out.underline = true;
  if (marks.strike) out.strike = true;
  if (marks.link) out.link = marks.link;
  return out;
}

/** Stable string of a marks object (equality of marks). */
export function marksKey(m: Marks): string {
  return `${m.bold ? 'b' : ''}${m.italic ? 'i' : ''}${m.underline ? 'u' : ''}${m.strike ? 's' : ''}${m.code ? 'c' : ''}|${m.link ?? ''}`;
}

interface Piece {
  inline: Inline;
  start?: number;
  width?: number;
}

function projectInlines(p: ParaUnit, plain: boolean, warnings: WarningCollector): void {
  const pieces: Piece[] = [];
  p.inlines.forEach((inline, i) => {
    const start = p.g?.inlineStarts[i];
    const width = p.g?.inlineWidths[i];
    if (inline.t !== 'text') {
      pieces.push({ inline, start, width });
      return;
    }
    const marks = plain ? {} : normalMarks(inline.marks, warnings);
    let offset = 0;
    for (const part of splitLineBreaks(inline.text)) {
      const piece: TextInline = { t: 'text', text: part, marks: part === LINE_BREAK ? {} : marks };
      pieces.push({
        inline: piece,
        start: start === undefined ? undefined : start + offset,
        width: part.length,
      });
      offset += part.length;
    }
  });
  const inlines: Inline[] = [];
  const starts: number[] = [];
  const widths: number[] = [];
  for (const piece of pieces) {
    const last = inlines[inlines.length - 1];
    const lastEnd = starts.length > 0 ? starts[starts.length - 1]! + widths[widths.length - 1]! : undefined;
    if (
      last?.t === 'text' &&
      piece.inline.t === 'text' &&
      marksKey(last.marks) === marksKey(piece.inline.marks) &&
      (piece.start === undefined || piece.start === lastEnd)
    ) {
      inlines[inlines.length - 1] = { ...last, text: last.text + piece.inline.text };
      widths[widths.length - 1] = widths[widths.length - 1]! + (piece.width ?? piece.inline.text.length);
      continue;
    }
    inlines.push(piece.inline);
    starts.push(piece.start ?? 0);
    widths.push(piece.width ?? 1);
  }
  p.inlines = inlines;
  if (p.g) {
    p.g.inlineStarts = starts;
    p.g.inlineWidths = widths;
  }
}

/** Google removes a list paragraph's leading tabs when it creates the bullet (they set the level). */
function stripLeadingTabs(p: ParaUnit, warnings: WarningCollector): void {
  const first = p.inlines[0];
  if (first?.t !== 'text' || !first.text.startsWith('\t')) return;
  const tabs = first.text.length - first.text.replace(/^\t+/, '').length;
  warnings.add(
    'GDOCS_LIST_LEADING_TAB',
    'Tabs at the start of a list item are not kept (Google uses them for nesting)',
  );
  const rest = first.text.slice(tabs);
  if (rest.length > 0) {
    p.inlines[0] = { ...first, text: rest };
    if (p.g) {
      p.g.inlineStarts[0] = p.g.inlineStarts[0]! + tabs;
      p.g.inlineWidths[0] = p.g.inlineWidths[0]! - tabs;
    }
  } else {
    p.inlines.shift();
    p.g?.inlineStarts.shift();
    p.g?.inlineWidths.shift();
  }
}

function projectParagraph(p: ParaUnit, prevLevel: number | null, warnings: WarningCollector): void {
  if (p.bullet) {
    const max = prevLevel === null ? 0 : Math.min(prevLevel + 1, MAX_LIST_LEVEL);
    p.bullet = { level: Math.max(0, Math.min(p.bullet.level, max)), ordered: p.bullet.ordered };
    if (p.style !== 'SUBTITLE') p.style = 'NORMAL_TEXT';
    p.quote = false;
    p.code = false;
    p.hr = false;
  }
  if (p.hr) {
    p.style = 'NORMAL_TEXT';
    p.quote = false;
    p.code = false;
    p.inlines = [];
  }
  if (p.code && (p.style !== 'NORMAL_TEXT' || p.inlines.some((i) => i.t !== 'text'))) p.code = false;
  if (p.code) p.quote = false;
  projectInlines(p, p.code, warnings);
  if (p.bullet) stripLeadingTabs(p, warnings);
}

/** Projects a segment's units in place (and returns them); nested cells are projected too. */
export function projectSegment(units: Unit[], warnings: WarningCollector): Unit[] {
  let prevLevel: number | null = null;
  for (const u of units) {
    if (u.k === 'p') {
      projectParagraph(u, prevLevel, warnings);
      prevLevel = u.bullet ? u.bullet.level : null;
    } else {
      prevLevel = null;
      if (u.k === 'table')
        for (const row of u.rows) for (const cell of row) projectSegment(cell.content, warnings);
    }
  }
  return units;
}
