/**
 * The engine's flat units back to Document JSON with every startIndex/endIndex recomputed, in the shape
 * documents.get returns: text runs merged by identical style, `textStyle` objects holding only set fields,
 * startIndex omitted when 0 (proto3 JSON drops default values), lists and inline objects only when used.
 */
import type { docs_v1 } from '@googleapis/docs';
import {
  type CharUnit,
  type Document,
  type FlatDoc,
  type StructuralElement,
  type Unit,
  widthOf,
} from './model.ts';
import { stableKey } from './stableKey.ts';

type ParagraphElement = docs_v1.Schema$ParagraphElement;

interface Cursor {
  units: readonly Unit[];
  pos: number;
  index: number;
  usedLists: Set<string>;
  usedObjects: Set<string>;
  /** Footnote ids in the order their references appear (Google numbers footnotes in that order). */
  footnoteIds: string[];
}

function withRange<T extends object>(start: number, end: number, body: T): T & { startIndex?: number } {
  return start === 0 ? { endIndex: end, ...body } : { startIndex: start, endIndex: end, ...body };
}

function readParagraph(c: Cursor): StructuralElement {
  const start = c.index;
  const elements: ParagraphElement[] = [];
  let run: { start: number; chars: string[]; ts: CharUnit['ts']; x: CharUnit['x']; key: string } | null =
    null;
  const flush = () => {
    if (!run) return;
    const textRun: Record<string, unknown> = { content: run.chars.join(''), ...(run.x ?? {}) };
    textRun.textStyle = run.ts;
    elements.push(withRange(run.start, run.start + run.chars.length, { textRun }));
    run = null;
  };
  for (;;) {
    const u = c.units[c.pos];
    if (!u) throw new Error('engine invariant broken: paragraph without final newline');
    if (u.k === 'c') {
      const key = `${stableKey(u.ts)}|${stableKey(u.x ?? null)}`;
      if (!run || run.key !== key) {
        flush();
        run = { start: c.index, chars: [], ts: u.ts, x: u.x, key };
      }
      run.chars.push(u.ch);
      c.pos += 1;
      c.index += 1;
      if (u.ch === '\n') {
        flush();
        const pp = u.pp ?? { paragraphStyle: { namedStyleType: 'NORMAL_TEXT' } };
        if (pp.bullet?.listId) c.usedLists.add(pp.bullet.listId);
        const paragraph: Record<string, unknown> = { elements, paragraphStyle: pp.paragraphStyle };
        if (pp.bullet) paragraph.bullet = pp.bullet;
        Object.assign(paragraph, pp.extra ?? {});
        return withRange(start, c.index, { paragraph }) as StructuralElement;
      }
    } else if (u.k === 'e') {
      flush();
      const id = (u.el.inlineObjectElement as { inlineObjectId?: string } | undefined)?.inlineObjectId;
      if (id) c.usedObjects.add(id);
      elements.push(withRange(c.index, c.index + u.w, numbered(c, u.el)) as ParagraphElement);
      c.pos += 1;
      c.index += u.w;
    } else throw new Error(`engine invariant broken: marker ${u.k} inside a paragraph`);
  }
}

/** A footnote reference renumbered in document order (Google's footnoteNumber), other elements as they are. */
function numbered(c: Cursor, el: Record<string, unknown>): Record<string, unknown> {
  const ref = el.footnoteReference as docs_v1.Schema$FootnoteReference | undefined;
  if (!ref?.footnoteId) return el;
  c.footnoteIds.push(ref.footnoteId);
  return { ...el, footnoteReference: { ...ref, footnoteNumber: String(c.footnoteIds.length) } };
}

function readContent(c: Cursor): StructuralElement[] {
  const out: StructuralElement[] = [];
  for (;;) {
    const u = c.units[c.pos];
    if (!u || u.k === 'rs' || u.k === 'cs' || u.k === 'te' || u.k === 'toce') return out;
    if (u.k === 'sb') {
      out.push(withRange(c.index, c.index + 1, { sectionBreak: u.sb }));
      c.pos += 1;
      c.index += 1;
    } else if (u.k === 'ts') out.push(readTable(c, u.table));
    else if (u.k === 'tocs') {
      const start = c.index;
      c.pos += 1;
      c.index += 1;
      const content = readContent(c);
      c.pos += 1; // toce
      out.push(withRange(start, c.index, { tableOfContents: { ...u.toc, content } }));
    } else out.push(readParagraph(c));
  }
}

function readTable(c: Cursor, table: Record<string, unknown>): StructuralElement {
  const start = c.index;
  c.pos += 1;
  c.index += 1;
  const tableRows: docs_v1.Schema$TableRow[] = [];
  while (c.units[c.pos]?.k === 'rs') {
    const rowUnit = c.units[c.pos] as Extract<Unit, { k: 'rs' }>;
    const rowStart = c.index;
    c.pos += 1;
    c.index += 1;
    const tableCells: docs_v1.Schema$TableCell[] = [];
    while (c.units[c.pos]?.k === 'cs') {
      const cellUnit = c.units[c.pos] as Extract<Unit, { k: 'cs' }>;
      const cellStart = c.index;
      c.pos += 1;
      c.index += 1;
      const content = readContent(c);
      tableCells.push(withRange(cellStart, c.index, { content, ...cellUnit.cell }));
    }
    tableRows.push(withRange(rowStart, c.index, { tableCells, ...rowUnit.row }));
  }
  if (c.units[c.pos]?.k !== 'te') throw new Error('engine invariant broken: table without end');
  c.pos += 1;
  const columns = Math.max(0, ...tableRows.map((r) => r.tableCells?.length ?? 0));
  return withRange(start, c.index, { table: { rows: tableRows.length, columns, tableRows, ...table } });
}

/** Serialises the flat document to Document JSON (deep copy: callers may mutate it freely). */
export function toDocumentJson(doc: FlatDoc): Document {
  const usedLists = new Set<string>();
  const usedObjects = new Set<string>();
  const cursor = (units: readonly Unit[]): Cursor => ({
    units,
    pos: 0,
    index: 0,
    usedLists,
    usedObjects,
    footnoteIds: [],
  });
  const c: Cursor = cursor(doc.units);
  const content = readContent(c);
  if (c.pos !== doc.units.length) throw new Error('engine invariant broken: trailing units after body');
  const out: Document = { ...doc.meta, body: { content } };
  const footnotes: Record<string, docs_v1.Schema$Footnote> = {};
  for (const footnoteId of c.footnoteIds) {
    const segment = doc.footnotes[footnoteId];
    if (!segment || footnotes[footnoteId]) continue;
    const fc = cursor(segment);
    footnotes[footnoteId] = { footnoteId, content: readContent(fc) };
  }
  if (Object.keys(footnotes).length > 0) out.footnotes = footnotes;
  const lists = Object.fromEntries(Object.entries(doc.lists).filter(([id]) => usedLists.has(id)));
  const objects = Object.fromEntries(Object.entries(doc.inlineObjects).filter(([id]) => usedObjects.has(id)));
  if (Object.keys(lists).length > 0) out.lists = lists;
  if (Object.keys(objects).length > 0) out.inlineObjects = objects;
  return structuredClone(out);
}

/** The body's end index (one past the final newline). */
export function bodyEnd(doc: FlatDoc): number {
  let at = 0;
  for (const u of doc.units) at += widthOf(u);
  return at;
}
