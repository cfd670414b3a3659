/**
 * Document JSON (as documents.get returns it) to the engine's flat unit sequence. Lenient on purpose: tests
 * build documents by hand (atoms, suggestions, equations) and load them here, so missing indices are
 * tolerated and a paragraph without its final `\n` gets one.
 */
import type { CharUnit, Document, FlatDoc, ParaProps, StructuralElement, Unit } from './model.ts';

function without<T extends object>(obj: T, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (!keys.includes(k) && v !== undefined) out[k] = v;
  return out;
}

function flattenParagraph(el: StructuralElement, out: Unit[]): void {
  const paragraph = el.paragraph ?? {};
  const start = out.length;
  for (const pe of paragraph.elements ?? []) {
    if (pe.textRun) {
      const ts = pe.textRun.textStyle ?? {};
      const extra = without(pe.textRun, ['content', 'textStyle']);
      const x = Object.keys(extra).length > 0 ? extra : undefined;
      for (const ch of (pe.textRun.content ?? '').split('')) {
        const unit: CharUnit = { k: 'c', ch, ts };
        if (x) unit.x = x;
        out.push(unit);
      }
    } else {
      const body = without(pe, ['startIndex', 'endIndex']);
      const w =
        typeof pe.startIndex === 'number' && typeof pe.endIndex === 'number'
          ? Math.max(1, pe.endIndex - pe.startIndex)
          : 1;
      out.push({ k: 'e', w, el: body });
    }
  }
  const last = out[out.length - 1];
  if (out.length === start || last?.k !== 'c' || last.ch !== '\n') out.push({ k: 'c', ch: '\n', ts: {} });
  const pp: ParaProps = { paragraphStyle: paragraph.paragraphStyle ?? { namedStyleType: 'NORMAL_TEXT' } };
  if (paragraph.bullet) pp.bullet = paragraph.bullet;
  const extra = without(paragraph, ['elements', 'paragraphStyle', 'bullet']);
  if (Object.keys(extra).length > 0) pp.extra = extra;
  const nl = out[out.length - 1] as CharUnit;
  out[out.length - 1] = { ...nl, pp };
  // Any other `\n` inside the runs would split the paragraph: give it the same properties.
  for (let i = start; i < out.length - 1; i++) {
    const u = out[i]!;
    if (u.k === 'c' && u.ch === '\n') out[i] = { ...u, pp };
  }
}

/** Appends the units of `content` (a body, a cell, a table of contents) to `out`. */
export function flattenContent(content: readonly StructuralElement[], out: Unit[]): void {
  for (const el of content) {
    if (el.sectionBreak) out.push({ k: 'sb', sb: el.sectionBreak as Record<string, unknown> });
    else if (el.table) {
      out.push({ k: 'ts', table: without(el.table, ['tableRows', 'rows', 'columns']) });
      for (const row of el.table.tableRows ?? []) {
        out.push({ k: 'rs', row: without(row, ['tableCells', 'startIndex', 'endIndex']) });
        for (const cell of row.tableCells ?? []) {
          out.push({ k: 'cs', cell: without(cell, ['content', 'startIndex', 'endIndex']) });
          const cellContent = cell.content ?? [];
          if (cellContent.length === 0) flattenParagraph({ paragraph: {} }, out);
          else flattenContent(cellContent, out);
        }
      }
      out.push({ k: 'te' });
    } else if (el.tableOfContents) {
      out.push({ k: 'tocs', toc: without(el.tableOfContents, ['content']) });
      flattenContent(el.tableOfContents.content ?? [], out);
      out.push({ k: 'toce' });
    } else flattenParagraph(el, out);
  }
}

/** Loads a Document JSON into the engine's flat form. */
export function flattenDocument(doc: Document): FlatDoc {
  const units: Unit[] = [];
  const content = doc.body?.content ?? [];
  if (!content[0]?.sectionBreak) units.push({ k: 'sb', sb: { sectionStyle: defaultSectionStyle() } });
  flattenContent(content, units);
  const last = units[units.length - 1];
  if (last?.k !== 'c') flattenParagraph({ paragraph: {} }, units);
  const meta = without(doc, ['body', 'footnotes', 'lists', 'inlineObjects']) as Document;
  const footnotes: Record<string, Unit[]> = {};
  for (const [id, footnote] of Object.entries(doc.footnotes ?? {})) {
    const segment: Unit[] = [];
    flattenContent(footnote.content ?? [], segment);
    if (segment[segment.length - 1]?.k !== 'c') flattenParagraph({ paragraph: {} }, segment);
    footnotes[id] = segment;
  }
  return {
    meta,
    units,
    footnotes,
    lists: { ...(doc.lists ?? {}) },
    inlineObjects: { ...(doc.inlineObjects ?? {}) },
  };
}

/** The section style Google reports for the first section of a new document. */
export function defaultSectionStyle(): Record<string, unknown> {
  return { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' };
}
