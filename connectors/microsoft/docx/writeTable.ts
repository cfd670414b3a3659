/**
 * Writes a schema table. When only cell contents changed since the original (same rows, cells, spans and
 * widths), the original table XML is kept and each changed cell's content is written into it with the block
 * writer, so everything but the edited paragraphs stays byte for byte. Otherwise the table is regenerated:
 * its `w:tblPr`, row and cell properties are reused (cells paired by position) and each cell's content is
 * written with the block writer, so unchanged paragraphs in cells stay verbatim. Spans become `w:gridSpan` and `w:vMerge`; column widths come from `colwidth`, else the
 * original grid when the column count matches, else an even split.
 */

import { escapeXmlAttr } from '../../formats/safeXml.ts';
import { tableShape } from './blockHash.ts';
import { buildProps, propChildren, tcPrOrder, trPrOrder } from './propsXml.ts';
import type { Json, SourceCell, SourceTable } from './types.ts';
import { writeBlocks } from './writeBlocks.ts';
import type { WriteContext } from './writeContext.ts';

const TWIPS_PER_PX = 15;
const DEFAULT_TABLE_TWIPS = 9000;

interface Continuing {
  until: number;
  span: number;
  width?: number;
  tcPr?: string;
}

interface Placed {
  cell: Json;
  col: number;
  span: number;
  rowspan: number;
  index: number;
}

/** Places every cell on the grid, accounting for cells that span rows from above. */
function layout(rows: Json[]): { placed: Placed[][]; cols: number } {
  const busy: number[] = []; // busy[col] = rows still covered by a rowspan from above
  const placed: Placed[][] = [];
  let cols = 0;
  for (const row of rows) {
    const out: Placed[] = [];
    let col = 0;
    (row.content ?? []).forEach((cell, index) => {
      while ((busy[col] ?? 0) > 0) col++;
      const attrs = (cell.attrs ?? {}) as Record<string, number>;
      const span = Math.max(1, attrs.colspan ?? 1);
      const rowspan = Math.max(1, attrs.rowspan ?? 1);
      out.push({ cell, col, span, rowspan, index });
      for (let c = col; c < col + span; c++) busy[c] = Math.max(busy[c] ?? 0, rowspan);
      col += span;
    });
    cols = Math.max(cols, col, busy.length);
    placed.push(out);
    for (let c = 0; c < busy.length; c++) if ((busy[c] ?? 0) > 0) busy[c] = (busy[c] as number) - 1;
  }
  return { placed, cols };
}

function gridWidths(
  placed: Placed[][],
  cols: number,
  old: SourceTable | undefined,
  ctx: WriteContext,
): number[] {
  const widths: (number | undefined)[] = new Array(cols).fill(undefined);
  for (const row of placed) {
    for (const p of row) {
      const cw = (p.cell.attrs as Record<string, unknown> | undefined)?.colwidth;
      if (Array.isArray(cw) && cw.length === p.span) {
        cw.forEach((w, k) => {
          if (typeof w === 'number' && w > 0) widths[p.col + k] ??= Math.round(w * TWIPS_PER_PX);
        });
      }
    }
  }
  if (widths.every((w) => w !== undefined)) return widths as number[];
  const oldGrid = old?.tblGrid
    ? propChildren(old.tblGrid, ctx.rootNamespaces).filter((c) => c.name === 'w:gridCol')
    : [];
  if (oldGrid.length === cols) return oldGrid.map((g, k) => widths[k] ?? (Number(g.el?.attrs['w:w']) || 0));
  const even = Math.round(DEFAULT_TABLE_TWIPS / Math.max(1, cols));
  return widths.map((w) => w ?? even);
}

function cellXml(
  tcPr: string | undefined,
  width: number | undefined,
  span: number,
  vMerge: string | undefined,
  content: string,
  ctx: WriteContext,
): string {
  const add: Record<string, string | undefined> = {
    'w:tcW': width === undefined ? '<w:tcW w:w="0" w:type="auto"/>' : `<w:tcW w:w="${width}" w:type="dxa"/>`,
    'w:gridSpan': span > 1 ? `<w:gridSpan w:val="${span}"/>` : undefined,
    'w:vMerge': vMerge,
  };
  const props = buildProps(
    'w:tcPr',
    propChildren(tcPr, ctx.rootNamespaces),
    ['w:gridSpan', 'w:vMerge', 'w:hMerge'],
    add,
    tcPrOrder,
  );
  return `<w:tc>${props}${content}</w:tc>`;
}

function cellContent(cell: Json, src: SourceCell | undefined, ctx: WriteContext): string {
  const blocks = cell.content ?? [];
  let out = writeBlocks(blocks, src?.blocks, ctx);
  if (blocks.length === 0 || blocks[blocks.length - 1]?.type === 'table') {
    out += src?.tail.includes('<w:p') ? src.tail : '<w:p/>';
  }
  return out;
}

/**
 * The original table with the content of each changed cell rewritten in place (same shape as `table`). A cell
 * whose blocks all come back verbatim keeps its original content, whitespace and tail included.
 */
function patchCells(table: Json, old: SourceTable, ctx: WriteContext): string {
  const edits: { from: number; to: number; xml: string }[] = [];
  (table.content ?? []).forEach((row, r) => {
    (row.content ?? []).forEach((cell, c) => {
      const src = old.rows[r]?.cells[c];
      if (!src) return;
      const blocks = cell.content ?? [];
      const written = writeBlocks(blocks, src.blocks, ctx);
      if (written === src.blocks.map((b) => b.xml).join('')) return;
      const last = blocks[blocks.length - 1];
      const tail =
        blocks.length === 0 || last?.type === 'table'
          ? src.tail.includes('<w:p')
            ? src.tail
            : '<w:p/>'
          : src.tail.includes('<w:p')
            ? ''
            : src.tail;
      edits.push({ from: src.content[0], to: src.content[1], xml: written + tail });
    });
  });
  let xml = old.xml;
  for (const edit of edits.reverse()) xml = xml.slice(0, edit.from) + edit.xml + xml.slice(edit.to);
  return xml;
}

/** Writes `table`; `old` is the original table at its place, if any. */
export function writeTable(table: Json, old: SourceTable | undefined, ctx: WriteContext): string {
  if (old?.xml && old.shape === tableShape(table)) return patchCells(table, old, ctx);
  const rows = table.content ?? [];
  const { placed, cols } = layout(rows);
  const widths = gridWidths(placed, cols, old, ctx);
  const tblPr =
    old?.tblPr ??
    `<w:tblPr><w:tblStyle w:val="${escapeXmlAttr(ctx.pkg.styleId('tableGrid'))}"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>`;
  let out = `<w:tbl>${tblPr}<w:tblGrid>${widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  const continuing: Continuing[] = [];
  placed.forEach((row, r) => {
    const srcRow = old?.rows[r];
    const header = row.length > 0 && row.every((p) => p.cell.type === 'tableHeader');
    if (!header && row.some((p) => p.cell.type === 'tableHeader')) {
      ctx.warnings.add(
        'DOCX_HEADER_CELL_IN_BODY_ROW',
        'Header cells in a row that is not a header row were written as normal cells',
      );
    }
    const trPr = buildProps(
      'w:trPr',
      propChildren(srcRow?.trPr, ctx.rootNamespaces),
      ['w:tblHeader'],
      { 'w:tblHeader': header ? '<w:tblHeader/>' : undefined },
      trPrOrder,
    );
    let cells = '';
    let next = 0;
    const emitContinuations = (upTo: number) => {
      for (let c = next; c < upTo; c++) {
        const cont = continuing[c];
        if (cont && cont.until >= r) {
          const w = widths.slice(c, c + cont.span).reduce((s, x) => s + x, 0);
          cells += cellXml(
            cont.tcPr,
            cont.width === undefined ? undefined : w,
            cont.span,
            '<w:vMerge/>',
            '<w:p/>',
            ctx,
          );
          c += cont.span - 1;
        }
      }
    };
    for (const p of row) {
      emitContinuations(p.col);
      if ((p.cell.attrs as Record<string, unknown> | undefined)?.align)
        ctx.warnings.add('DOCX_CELL_ALIGN_LOST', 'Table cell alignment is not written to Word');
      const srcCell = srcRow?.cells[p.index];
      const fixed = Array.isArray((p.cell.attrs as Record<string, unknown> | undefined)?.colwidth);
      const w = fixed ? widths.slice(p.col, p.col + p.span).reduce((s, x) => s + x, 0) : undefined;
      const vMerge = p.rowspan > 1 ? '<w:vMerge w:val="restart"/>' : undefined;
      cells += cellXml(srcCell?.tcPr, w, p.span, vMerge, cellContent(p.cell, srcCell, ctx), ctx);
      if (p.rowspan > 1) {
        const entry: Continuing = { until: r + p.rowspan - 1, span: p.span };
        if (w !== undefined) entry.width = w;
        if (srcCell?.tcPr) entry.tcPr = srcCell.tcPr;
        continuing[p.col] = entry;
      }
      next = p.col + p.span;
    }
    emitContinuations(cols);
    out += `<w:tr>${trPr}${cells}</w:tr>`;
  });
  return `${out}</w:tbl>`;
}
