/**
 * One schema table to an ODF `table:table`: column styles when every first-row cell has its widths, a
 * header-rows group when the whole first row is header cells, header cells marked by their cell style, and
 * covered cells under every column and row span (laid out on a grid), as ODF requires.
 */
import type { Node as PMNode } from '@tiptap/pm/model';
import type { WarningCollector } from '../../model/warnings.ts';
import { AUTO_STYLES, type AutomaticStyles, PARAGRAPH_STYLES } from './styles.ts';

/** What the table writer needs from the document writer. */
export interface TableWriterDeps {
  styles: AutomaticStyles;
  warnings: WarningCollector;
  /** The ODF of a cell's blocks, with plain paragraphs in `paragraphStyle`. */
  cellBlocks(cell: PMNode, paragraphStyle: string): string;
}

/** The `table:table` element for `node` (a schema table). */
export function writeTable(node: PMNode, deps: TableWriterDeps): string {
  const firstRow = node.firstChild;
  const widths: number[] = [];
  let allWidths = firstRow !== null;
  firstRow?.forEach((cell) => {
    const colwidth = cell.attrs.colwidth as number[] | null;
    const span = cell.attrs.colspan as number;
    if (!colwidth || colwidth.length !== span) allWidths = false;
    else widths.push(...colwidth);
  });
  const names = deps.styles.tableStyles(allWidths && widths.length ? widths : null);
  // Lay the cells out on a grid so that rows under a row span get their covered cells.
  const covered = new Set<string>();
  let columnCount = 0;
  let rowsXml = '';
  let headerXml = '';
  node.forEach((row, _offset, r) => {
    let col = 0;
    let cells = '';
    const skipCovered = () => {
      while (covered.has(`${r}:${col}`)) {
        cells += '<table:covered-table-cell/>';
        col += 1;
      }
    };
    row.forEach((cell) => {
      skipCovered();
      const colspan = cell.attrs.colspan as number;
      const rowspan = cell.attrs.rowspan as number;
      for (let dr = 0; dr < rowspan; dr += 1) {
        for (let dc = 0; dc < colspan; dc += 1) if (dr > 0 || dc > 0) covered.add(`${r + dr}:${col + dc}`);
      }
      const header = cell.type.name === 'tableHeader';
      if (cell.attrs.align)
        deps.warnings.add('ODT_CELL_ALIGN_LOST', 'Table cell alignment is not kept in ODF');
      const spans =
        (colspan > 1 ? ` table:number-columns-spanned="${colspan}"` : '') +
        (rowspan > 1 ? ` table:number-rows-spanned="${rowspan}"` : '');
      const style = header ? AUTO_STYLES.headerCell : 'DocbridgeCell';
      const paragraphStyle = header ? PARAGRAPH_STYLES.tableHeading : PARAGRAPH_STYLES.tableContents;
      cells += `<table:table-cell table:style-name="${style}" office:value-type="string"${spans}>${deps.cellBlocks(cell, paragraphStyle)}</table:table-cell>`;
      col += 1;
      for (let dc = 1; dc < colspan; dc += 1) {
        cells += '<table:covered-table-cell/>';
        col += 1;
      }
    });
    skipCovered();
    columnCount = Math.max(columnCount, col);
    const rowXml = `<table:table-row>${cells}</table:table-row>`;
    let allHeaders = row.childCount > 0;
    row.forEach((cell) => {
      if (cell.type.name !== 'tableHeader') allHeaders = false;
    });
    if (r === 0 && allHeaders && node.childCount > 1)
      headerXml = `<table:table-header-rows>${rowXml}</table:table-header-rows>`;
    else rowsXml += rowXml;
  });
  const columns = names.columns
    ? names.columns.map((name) => `<table:table-column table:style-name="${name}"/>`).join('')
    : `<table:table-column table:number-columns-repeated="${Math.max(columnCount, 1)}"/>`;
  return `<table:table table:name="${names.table}" table:style-name="${names.table}">${columns}${headerXml}${rowsXml}</table:table>`;
}
