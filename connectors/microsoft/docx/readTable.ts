/**
 * Reads a `w:tbl` into a schema table: header rows (`w:tblHeader`) give tableHeader cells, `w:gridSpan` gives
 * colspan, `w:vMerge` restart/continue gives rowspan (continuation cells are absorbed), grid column widths give
 * colwidth (twips to CSS px). Each cell's content is read as a block container, recursively.
 */
import { tableShape } from './blockHash.ts';
import { readBlocks } from './readBlocks.ts';
import { type ReadContext, slice } from './readContext.ts';
import type { Json, SourceCell, SourceTable } from './types.ts';
import { child, elements, type XmlElement } from './xmlTree.ts';

const TWIPS_PER_PX = 15;

/** Rows of a table, looking through row-level content controls and custom XML wrappers. */
function rowsOf(tbl: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of elements(tbl)) {
    if (c.name === 'w:tr') out.push(c);
    else if (c.name === 'w:sdt' || c.name === 'w:customXml')
      out.push(...rowsOf(child(c, 'w:sdtContent') ?? c));
  }
  return out;
}

function cellsOf(tr: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of elements(tr)) {
    if (c.name === 'w:tc') out.push(c);
    else if (c.name === 'w:sdt' || c.name === 'w:customXml')
      out.push(...cellsOf(child(c, 'w:sdtContent') ?? c));
  }
  return out;
}

/** Reads `tbl`; returns the schema node and what a patch keeps of it. */
export function readTable(tbl: XmlElement, ctx: ReadContext): { node: Json; table: SourceTable } {
  const tblPr = child(tbl, 'w:tblPr');
  const tblGrid = child(tbl, 'w:tblGrid');
  const gridPx = elements(tblGrid ?? tbl, 'w:gridCol').map((g) => {
    const w = Number(g.attrs['w:w']);
    return Number.isFinite(w) && w > 0 ? Math.max(1, Math.round(w / TWIPS_PER_PX)) : 0;
  });
  const table: SourceTable = { rows: [], xml: slice(ctx, tbl), shape: '' };
  if (tblPr) table.tblPr = slice(ctx, tblPr);
  if (tblGrid) table.tblGrid = slice(ctx, tblGrid);
  const rows: Json[] = [];
  // For each grid column, the cell (JSON) currently open for vertical merging.
  const openAbove = new Map<number, Json>();
  for (const tr of rowsOf(tbl)) {
    const trPr = child(tr, 'w:trPr');
    const header = child(trPr, 'w:tblHeader') !== undefined;
    const before = Number(child(trPr, 'w:gridBefore')?.attrs['w:val'] ?? 0) || 0;
    const row: Json = { type: 'tableRow', content: [] };
    const srcRow: SourceTable['rows'][number] = { cells: [] };
    if (trPr) srcRow.trPr = slice(ctx, trPr);
    let col = before;
    for (const tc of cellsOf(tr)) {
      const tcPr = child(tc, 'w:tcPr');
      const span = Math.max(1, Number(child(tcPr, 'w:gridSpan')?.attrs['w:val'] ?? 1) || 1);
      const vMerge = child(tcPr, 'w:vMerge');
      const mergeVal = vMerge?.attrs['w:val'];
      if (vMerge && mergeVal !== 'restart' && openAbove.has(col)) {
        const origin = openAbove.get(col) as Json;
        (origin.attrs as Record<string, number>).rowspan =
          ((origin.attrs as Record<string, number>).rowspan ?? 1) + 1;
        if (elements(tc, 'w:p').some((p) => elements(p, 'w:r').length > 0)) {
          ctx.warnings.add(
            'DOCX_MERGED_CELL_CONTENT',
            'Text inside a vertically merged continuation cell was dropped',
          );
        }
        col += span;
        continue;
      }
      const kids = elements(tc);
      const from = tcPr ? tcPr.end : ctx.doc.text.indexOf('>', tc.start) + 1;
      const read = readBlocks(kids, from, ctx);
      const blocks = read.blocks;
      const sources = read.sources;
      // Word requires a paragraph after a nested table that ends a cell; it is not content.
      const lastBlock = blocks[blocks.length - 1];
      const beforeLast = blocks[blocks.length - 2];
      let end = read.end;
      if (
        beforeLast?.type === 'table' &&
        lastBlock?.type === 'paragraph' &&
        !lastBlock.content &&
        !lastBlock.attrs
      ) {
        blocks.pop();
        const dropped = sources.pop();
        end -= dropped?.xml.length ?? 0;
      }
      if (blocks.length === 0) blocks.push({ type: 'paragraph' });
      const colwidth = cellWidths(child(tcPr, 'w:tcW'), gridPx.slice(col, col + span), span);
      const cell: Json = {
        type: header ? 'tableHeader' : 'tableCell',
        attrs: { colspan: span, rowspan: 1, colwidth },
        content: blocks,
      };
      const closeAt = ctx.doc.text.lastIndexOf('<', tc.end - 1);
      const src: SourceCell = {
        blocks: sources,
        tail: ctx.doc.text.slice(end, closeAt),
        content: [from - tbl.start, closeAt - tbl.start],
      };
      if (tcPr) src.tcPr = slice(ctx, tcPr);
      srcRow.cells.push(src);
      (row.content as Json[]).push(cell);
      for (let c = col; c < col + span; c++) {
        if (mergeVal === 'restart') openAbove.set(c, cell);
        else openAbove.delete(c);
      }
      col += span;
    }
    rows.push(row);
    table.rows.push(srcRow);
  }
  if (rows.length === 0) rows.push({ type: 'tableRow', content: [] });
  const node: Json = { type: 'table', content: rows };
  table.shape = tableShape(node);
  return { node, table };
}

/** CSS px widths of a cell's columns when it has a fixed width (`w:tcW` in twips), else null. */
function cellWidths(tcW: XmlElement | undefined, grid: number[], span: number): number[] | null {
  const type = tcW?.attrs['w:type'] ?? 'dxa';
  const w = Number(tcW?.attrs['w:w']);
  if (!tcW || type !== 'dxa' || !Number.isFinite(w) || w <= 0) return null;
  if (grid.length === span && grid.every((g) => g > 0)) return grid;
  const each = Math.max(1, Math.round(w / TWIPS_PER_PX / span));
  return new Array(span).fill(each);
}
