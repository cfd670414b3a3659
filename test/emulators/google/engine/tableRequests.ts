/**
 * insertTable, insertTableRow and deleteTableRow. A table is inserted inside a paragraph with a newline
 * before it (so it starts at location + 1); its start, each row's start and each cell's start take one
 * index, and each cell holds one empty paragraph. Deleting the last row deletes the whole table. Pinned
 * header rows are marked `tableRowStyle.tableHeader` (UNCONFIRMED: that Google reports pinning this way).
 */
import { invalid } from './errors.ts';
import { type Ctx, insertionPoint, lowerBound, paragraphPropsAt } from './locate.ts';
import { computeStarts, type FlatDoc, type Unit, widthOf } from './model.ts';
import { copyParaProps, inheritedStyle, resolveLocation } from './textRequests.ts';

const pt = (magnitude: number) => ({ magnitude, unit: 'PT' });

function cellStyle(): Record<string, unknown> {
  return {
    rowSpan: 1,
    columnSpan: 1,
    backgroundColor: {},
    paddingLeft: pt(5),
    paddingRight: pt(5),
    paddingTop: pt(5),
    paddingBottom: pt(5),
    contentAlignment: 'TOP',
  };
}

function emptyCell(): Unit[] {
  return [
    { k: 'cs', cell: { tableCellStyle: cellStyle() } },
    {
      k: 'c',
      ch: '\n',
      ts: {},
      pp: { paragraphStyle: { namedStyleType: 'NORMAL_TEXT', direction: 'LEFT_TO_RIGHT' } },
    },
  ];
}

function emptyRow(columns: number): Unit[] {
  const out: Unit[] = [{ k: 'rs', row: { tableRowStyle: { minRowHeight: { unit: 'PT' } } } }];
  for (let c = 0; c < columns; c++) out.push(...emptyCell());
  return out;
}

/** insertTable. */
export function insertTable(
  ctx: Ctx,
  req: {
    rows?: number;
    columns?: number;
    location?: { index: number; segmentId?: string };
    endOfSegmentLocation?: { segmentId?: string };
  },
): void {
  const rows = req.rows ?? 0;
  const columns = req.columns ?? 0;
  if (!Number.isInteger(rows) || rows < 1) invalid('rows must be a positive number.');
  if (!Number.isInteger(columns) || columns < 1 || columns > 20) invalid('columns must be between 1 and 20.');
  const index = resolveLocation(ctx, req.location, req.endOfSegmentLocation);
  const units = ctx.doc.units;
  const p = insertionPoint(ctx.doc, index);
  const added: Unit[] = [
    { k: 'c', ch: '\n', ts: inheritedStyle(units, p), pp: copyParaProps(paragraphPropsAt(units, p)) },
    {
      k: 'ts',
      table: {
        tableStyle: {
          tableColumnProperties: Array.from({ length: columns }, () => ({ widthType: 'EVENLY_DISTRIBUTED' })),
        },
      },
    },
  ];
  for (let r = 0; r < rows; r++) added.push(...emptyRow(columns));
  added.push({ k: 'te' });
  units.splice(p, 0, ...added);
  ctx.ops.push({ t: 'ins', at: index, len: added.reduce((n, u) => n + widthOf(u), 0) });
}

interface RowSpan {
  rowStart: number;
  rowEnd: number;
  cells: number;
}

/** Finds the table starting at `index` and the unit span of each of its rows. */
function tableAt(doc: FlatDoc, index: number): { ts: number; te: number; rows: RowSpan[] } {
  const units = doc.units;
  const starts = computeStarts(units);
  const ts = lowerBound(starts, units.length, index);
  if (starts[ts] !== index || units[ts]?.k !== 'ts')
    invalid(`The provided table start location ${index} is not the start of a table.`);
  const rows: RowSpan[] = [];
  let depth = 0;
  let q = ts + 1;
  for (; q < units.length; q++) {
    const k = units[q]!.k;
    if (depth === 0 && k === 'rs') {
      rows.push({ rowStart: q, rowEnd: q, cells: 0 });
      continue;
    }
    if (depth === 0 && k === 'cs') rows[rows.length - 1]!.cells++;
    if (k === 'ts') depth++;
    if (k === 'te') {
      if (depth === 0) break;
      depth--;
    }
  }
  for (let i = 0; i < rows.length; i++) rows[i]!.rowEnd = i + 1 < rows.length ? rows[i + 1]!.rowStart : q;
  return { ts, te: q, rows };
}

type CellLocation = {
  tableStartLocation?: { index: number; segmentId?: string };
  rowIndex?: number;
  columnIndex?: number;
};

function resolveCell(doc: FlatDoc, loc: CellLocation | undefined) {
  if (!loc?.tableStartLocation) invalid('tableCellLocation.tableStartLocation must be specified.');
  const table = tableAt(doc, loc.tableStartLocation.index);
  const r = loc.rowIndex ?? 0;
  const c = loc.columnIndex ?? 0;
  const row = table.rows[r];
  if (!row) invalid(`rowIndex ${r} is out of range: the table has ${table.rows.length} rows.`);
  if (c < 0 || c >= row.cells) invalid(`columnIndex ${c} is out of range: the row has ${row.cells} cells.`);
  return { table, row };
}

/** insertTableRow. */
export function insertTableRow(
  ctx: Ctx,
  req: { tableCellLocation?: CellLocation; insertBelow?: boolean },
): void {
  const { row } = resolveCell(ctx.doc, req.tableCellLocation);
  const at = req.insertBelow ? row.rowEnd : row.rowStart;
  const added = emptyRow(row.cells);
  const index = computeStarts(ctx.doc.units)[at]!;
  ctx.doc.units.splice(at, 0, ...added);
  ctx.ops.push({ t: 'ins', at: index, len: added.length });
}

/** deleteTableRow. */
export function deleteTableRow(ctx: Ctx, req: { tableCellLocation?: CellLocation }): void {
  const { table, row } = resolveCell(ctx.doc, req.tableCellLocation);
  const starts = computeStarts(ctx.doc.units);
  const whole = table.rows.length === 1;
  const from = whole ? table.ts : row.rowStart;
  const to = whole ? table.te + 1 : row.rowEnd;
  ctx.doc.units.splice(from, to - from);
  ctx.ops.push({ t: 'del', s: starts[from]!, e: starts[to]! });
}

/** pinTableHeaderRows: the first `pinnedHeaderRowsCount` rows become header rows, the others not. */
export function pinTableHeaderRows(
  ctx: Ctx,
  req: { tableStartLocation?: { index: number; segmentId?: string }; pinnedHeaderRowsCount?: number },
): void {
  if (!req.tableStartLocation) invalid('tableStartLocation must be specified.');
  const table = tableAt(ctx.doc, req.tableStartLocation.index);
  const count = req.pinnedHeaderRowsCount ?? 0;
  if (count < 0 || count > table.rows.length) {
    invalid(`pinnedHeaderRowsCount ${count} is out of range: the table has ${table.rows.length} rows.`);
  }
  table.rows.forEach((row, r) => {
    const unit = ctx.doc.units[row.rowStart] as Extract<Unit, { k: 'rs' }>;
    const style = { ...((unit.row.tableRowStyle as Record<string, unknown> | undefined) ?? {}) };
    if (r < count) style.tableHeader = true;
    else delete style.tableHeader;
    ctx.doc.units[row.rowStart] = { ...unit, row: { ...unit.row, tableRowStyle: style } };
  });
}
