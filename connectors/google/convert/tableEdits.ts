/**
 * Table edits: a new table is inserted with insertTable and its cells filled from the last to the first;
 * a changed table with the same columns is edited row by row (deleteTableRow / insertTableRow for rows that
 * appeared or vanished, cell-by-cell segment edits for the others), always from the end backwards.
 */
import { align, gapEndingAt } from '../../model/align.ts';
import type { RequestWriter } from './requestWriter.ts';
import { hasSpans, unitKey } from './unitKey.ts';
import type { CellUnit, ParaUnit, TableUnit, Unit } from './units.ts';

/** Edits a segment (a cell's content) from its read units to the wanted ones. */
export type SegmentEditor = (w: RequestWriter, old: Unit[], neu: Unit[]) => void;

/** The single empty paragraph of a fresh cell whose content starts at `at`. */
function emptyCell(at: number): Unit[] {
  const p: ParaUnit = {
    k: 'p',
    style: 'NORMAL_TEXT',
    bullet: null,
    quote: false,
    code: false,
    hr: false,
    inlines: [],
    g: { start: at, end: at + 1, inlineStarts: [], inlineWidths: [] },
  };
  return [p];
}

/** Fills a fresh row (its start marker at `rowStart`) with the wanted cells, last cell first. */
function fillRow(w: RequestWriter, rowStart: number, cells: CellUnit[], edit: SegmentEditor): void {
  for (let c = cells.length - 1; c >= 0; c--) edit(w, emptyCell(rowStart + 2 + 2 * c), cells[c]!.content);
}

/** Inserts table `t` inside the paragraph at `at` (Google puts a newline before it: the table starts at at + 1). */
export function insertNewTable(w: RequestWriter, at: number, t: TableUnit, edit: SegmentEditor): void {
  const columns = t.rows[0]?.length ?? 1;
  if (hasSpans(t)) w.warnings.add('GDOCS_TABLE_SPANS', 'Merged cells are written as separate cells');
  w.requests.push({ insertTable: { rows: t.rows.length, columns, location: { index: at } } });
  const tableStart = at + 1;
  for (let r = t.rows.length - 1; r >= 0; r--)
    fillRow(w, tableStart + 1 + r * (1 + 2 * columns), t.rows[r]!, edit);
  if (t.headerRows > 0) pinHeaderRows(w, tableStart, t.headerRows);
}

function pinHeaderRows(w: RequestWriter, tableStart: number, count: number): void {
  w.requests.push({
    pinTableHeaderRows: { tableStartLocation: { index: tableStart }, pinnedHeaderRowsCount: count },
  });
}

const rowStart = (t: TableUnit, r: number) => t.rows[r]![0]!.g!.start - 1;
const rowEnd = (t: TableUnit, r: number) => (r + 1 < t.rows.length ? rowStart(t, r + 1) : t.g!.end);

function editRow(w: RequestWriter, o: CellUnit[], n: CellUnit[], edit: SegmentEditor): void {
  // Covered cells (under a merge) are not part of the schema document: never edited.
  for (let c = o.length - 1; c >= 0; c--) if (!o[c]!.covered) edit(w, o[c]!.content, n[c]!.content);
}

/** Edits read table `o` into `n` (same columns, or the same merged-cell layout). */
export function editTable(w: RequestWriter, o: TableUnit, n: TableUnit, edit: SegmentEditor): void {
  const rowsMoved = editTableContent(w, o, n, edit);
  // Header rows are marked row by row: a row inserted above or among them is not one, and an old header row
  // pushed down stays one. So after rows were inserted or deleted the header is pinned again, even at the same count.
  if (o.headerRows !== n.headerRows || (rowsMoved && n.headerRows > 0))
    pinHeaderRows(w, o.g!.start, n.headerRows);
}

/** Edits the rows of `o` into those of `n`; true when it inserted or deleted rows. */
function editTableContent(w: RequestWriter, o: TableUnit, n: TableUnit, edit: SegmentEditor): boolean {
  if (hasSpans(o)) {
    for (let r = o.rows.length - 1; r >= 0; r--) editRow(w, o.rows[r]!, n.rows[r]!, edit);
    return false;
  }
  const tableStartLocation = { index: o.g!.start };
  const rowKey = (row: CellUnit[]) => row.map((c) => c.content.map(unitKey).join('\u0001')).join('\u0002');
  const oldKeys = o.rows.map(rowKey);
  const newKeys = n.rows.map(rowKey);
  const steps = align(
    oldKeys,
    newKeys,
    oldKeys.map(() => 'r'),
    newKeys.map(() => 'r'),
  );
  let i = steps.length - 1;
  let after: number | null = null;
  let rowsMoved = false;
  for (;;) {
    const gap = gapEndingAt(steps, i);
    const { dels, ins } = gap;
    if (dels.length > 0 || ins.length > 0) rowsMoved = true;
    i = gap.before;
    const anchor = i >= 0 ? (steps[i] as { op: 'keep' | 'modify'; o: number; n: number }) : null;
    const removeRow = (rowIndex: number) =>
      w.requests.push({
        deleteTableRow: { tableCellLocation: { tableStartLocation, rowIndex, columnIndex: 0 } },
      });
    if (anchor) {
      for (let d = dels.length - 1; d >= 0; d--) removeRow(dels[d]!);
      for (let k = ins.length - 1; k >= 0; k--) {
        w.requests.push({
          insertTableRow: {
            tableCellLocation: { tableStartLocation, rowIndex: anchor.o, columnIndex: 0 },
            insertBelow: true,
          },
        });
        fillRow(w, rowEnd(o, anchor.o), n.rows[ins[k]!]!, edit);
      }
    } else if (ins.length > 0 || dels.length > 0) {
      const ref = dels.length > 0 ? dels[0]! : (after ?? 0);
      for (let k = ins.length - 1; k >= 0; k--) {
        w.requests.push({
          insertTableRow: {
            tableCellLocation: { tableStartLocation, rowIndex: ref, columnIndex: 0 },
            insertBelow: false,
          },
        });
        fillRow(w, rowStart(o, ref), n.rows[ins[k]!]!, edit);
      }
      for (let d = dels.length - 1; d >= 0; d--) removeRow(dels[d]! + ins.length);
    }
    if (!anchor) return rowsMoved;
    if (anchor.op === 'modify') editRow(w, o.rows[anchor.o]!, n.rows[anchor.n]!, edit);
    after = anchor.o;
    i--;
  }
}
