/** The Google Docs engine's table rules (remote-apis.md section A, "Tables" and the table requests). */
import { describe, expect, it } from 'vitest';
import { apply, bodyText, docWith, expectConsistentIndices, expectInvalid } from './engineHelpers.ts';

function tableOf(doc: ReturnType<typeof docWith>) {
  return doc.body!.content!.find((e) => e.table)!;
}

describe('Google Docs engine: tables', () => {
  it('puts a newline before an inserted table, which starts at location + 1', () => {
    const doc = apply(docWith('ab'), [{ insertTable: { rows: 2, columns: 3, location: { index: 3 } } }]);
    const t = tableOf(doc);
    expect(t.startIndex).toBe(4);
    expect(t.table).toMatchObject({ rows: 2, columns: 3 });
    expect(bodyText(doc).startsWith('ab\n')).toBe(true);
    expect(doc.body!.content!.at(-1)!.paragraph).toBeDefined();
  });

  it('spends one index on the table start, each row start and each cell start, before each cell paragraph', () => {
    const doc = apply(docWith(''), [{ insertTable: { rows: 2, columns: 2, location: { index: 1 } } }]);
    const t = tableOf(doc);
    const [r0, r1] = t.table!.tableRows!;
    expect(r0!.startIndex).toBe(t.startIndex! + 1);
    expect(r0!.tableCells![0]!.startIndex).toBe(r0!.startIndex! + 1);
    expect(r0!.tableCells![0]!.content![0]!.startIndex).toBe(r0!.tableCells![0]!.startIndex! + 1);
    expect(r1!.startIndex).toBe(r0!.endIndex);
    expect(t.endIndex).toBe(r1!.endIndex);
    expect(t.endIndex! - t.startIndex!).toBe(1 + 2 * (1 + 2 * 2));
    for (const row of t.table!.tableRows!)
      for (const cell of row.tableCells!) expect(cell.content!.length).toBe(1);
    expectConsistentIndices(doc);
  });

  it('inserts a row above or below a reference cell, with as many empty cells', () => {
    let doc = apply(docWith(''), [{ insertTable: { rows: 1, columns: 2, location: { index: 1 } } }]);
    const start = tableOf(doc).startIndex!;
    doc = apply(doc, [
      { insertText: { location: { index: start + 3 }, text: 'top' } },
      {
        insertTableRow: {
          tableCellLocation: { tableStartLocation: { index: start }, rowIndex: 0, columnIndex: 1 },
          insertBelow: true,
        },
      },
      {
        insertTableRow: {
          tableCellLocation: { tableStartLocation: { index: start }, rowIndex: 0 },
          insertBelow: false,
        },
      },
    ]);
    const rows = tableOf(doc).table!.tableRows!;
    expect(rows).toHaveLength(3);
    expect(rows[1]!.tableCells![0]!.content![0]!.paragraph!.elements![0]!.textRun!.content).toBe('top\n');
    expect(rows.every((r) => r.tableCells!.length === 2)).toBe(true);
    expectConsistentIndices(doc);
    expectInvalid(
      doc,
      [{ insertTableRow: { tableCellLocation: { tableStartLocation: { index: start + 1 }, rowIndex: 0 } } }],
      /not the start of a table/,
    );
    expectInvalid(
      doc,
      [{ deleteTableRow: { tableCellLocation: { tableStartLocation: { index: start }, rowIndex: 7 } } }],
      /out of range/,
    );
  });

  it('deletes a row, and the whole table with its last row', () => {
    let doc = apply(docWith('x'), [{ insertTable: { rows: 2, columns: 1, location: { index: 2 } } }]);
    const start = tableOf(doc).startIndex!;
    const loc = { tableStartLocation: { index: start }, rowIndex: 0 };
    doc = apply(doc, [{ deleteTableRow: { tableCellLocation: loc } }]);
    expect(tableOf(doc).table!.rows).toBe(1);
    doc = apply(doc, [{ deleteTableRow: { tableCellLocation: loc } }]);
    expect(doc.body!.content!.some((e) => e.table)).toBe(false);
    expectConsistentIndices(doc);
  });

  it('pins header rows (marked tableHeader in the row style) and unpins the others', () => {
    let doc = apply(docWith(''), [{ insertTable: { rows: 3, columns: 1, location: { index: 1 } } }]);
    const start = tableOf(doc).startIndex!;
    doc = apply(doc, [
      { pinTableHeaderRows: { tableStartLocation: { index: start }, pinnedHeaderRowsCount: 2 } },
    ]);
    expect(tableOf(doc).table!.tableRows!.map((r) => Boolean(r.tableRowStyle?.tableHeader))).toEqual([
      true,
      true,
      false,
    ]);
    doc = apply(doc, [
      { pinTableHeaderRows: { tableStartLocation: { index: start }, pinnedHeaderRowsCount: 0 } },
    ]);
    expect(tableOf(doc).table!.tableRows!.some((r) => r.tableRowStyle?.tableHeader)).toBe(false);
    expectInvalid(
      doc,
      [{ pinTableHeaderRows: { tableStartLocation: { index: start }, pinnedHeaderRowsCount: 4 } }],
      /out of range/,
    );
  });
});
