/** Table writing: nested tables, merged cells read from Google and edited in place, header rows. */
import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import {
  batchUpdateFromDiff,
  normalizeForGoogle,
  readGoogleDoc,
  writeGoogleDoc,
} from '../../../connectors/google/convert/index.ts';
import { normalizeDoc } from '../../../connectors/model/schema.ts';
import { applyRequests, reindexDocument } from '../../emulators/google/engine/index.ts';

const p = (text: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const cell = (content: JSONContent[], type = 'tableCell'): JSONContent => ({ type, content });
const table = (rows: JSONContent[][], header = false): JSONContent => ({
  type: 'table',
  content: rows.map((cells, r) => ({
    type: 'tableRow',
    content: header && r === 0 ? cells.map((c) => ({ ...c, type: 'tableHeader' })) : cells,
  })),
});

describe('tables', () => {
  it('writes nested tables (a table inside a cell gets the paragraphs Google requires around it)', () => {
    const inner = table([[cell([p('inner')]), cell([p('x')])]]);
    const doc = {
      type: 'doc',
      content: [p('a'), table([[cell([p('before'), inner, p('after')]), cell([inner])]]), p('z')],
    };
    const { document, warnings } = writeGoogleDoc(doc);
    expect(warnings).toEqual([]);
    expect(readGoogleDoc(document).doc).toEqual(normalizeForGoogle(doc).doc);
  });

  it('edits inside a table with merged cells without touching the covered cells', () => {
    let g = writeGoogleDoc({
      type: 'doc',
      content: [
        p('t'),
        table([0, 1].map(() => [cell([p('A')]), cell([p('B')]), cell([p('C')])])),
        { type: 'paragraph' },
      ],
    }).document;
    g.body!.content!.find((e) => e.table)!.table!.tableRows![0]!.tableCells![0]!.tableCellStyle!.columnSpan =
      2;
    g = reindexDocument(g);
    const imported = readGoogleDoc(g).doc;
    expect(imported.content![1]!.content![0]!.content!.map((c) => c.attrs!.colspan)).toEqual([2, 1]);
    const next = structuredClone(imported);
    next.content![1]!.content![0]!.content![0]!.content![0]!.content![0]!.text = 'merged';
    const { requests } = batchUpdateFromDiff(g, imported, next);
    expect(requests.some((r) => r.deleteContentRange && r.deleteContentRange.range!.startIndex! > 8)).toBe(
      false,
    );
    expect(readGoogleDoc(applyRequests(g, requests).document).doc).toEqual(normalizeDoc(next));
  });

  it('pins a leading header row, and unpins it when the header cells become ordinary cells', () => {
    const rows = [
      [cell([p('H1')]), cell([p('H2')])],
      [cell([p('a')]), cell([p('b')])],
    ];
    const { document } = writeGoogleDoc({
      type: 'doc',
      content: [p('x'), table(rows, true), p('y')],
    });
    const written = document.body!.content!.find((el) => el.table)!.table!;
    expect(written.tableRows!.map((row) => Boolean(row.tableRowStyle?.tableHeader))).toEqual([true, false]);
    const imported = readGoogleDoc(document).doc;
    expect(imported.content![1]!.content![0]!.content!.map((c) => c.type)).toEqual([
      'tableHeader',
      'tableHeader',
    ]);
    const plain = { type: 'doc', content: [p('x'), table(rows), p('y')] };
    const pushed = batchUpdateFromDiff(document, imported, plain);
    expect(pushed.requests).toEqual([
      { pinTableHeaderRows: { tableStartLocation: { index: expect.any(Number) }, pinnedHeaderRowsCount: 0 } },
    ]);
    expect(readGoogleDoc(applyRequests(document, pushed.requests).document).doc).toEqual(normalizeDoc(plain));
  });

  it('keeps the header row on top when rows are inserted above the old one (re-pins at the same count)', () => {
    // Found by the round-trip property (seed 1627280849): the empty header row was matched with a new empty body
    // row, a new row went in above it, and the header flag stayed on the old row, now second: no header at all.
    const before = { type: 'doc', content: [p('x'), table([[cell([{ type: 'paragraph' }])]], true), p('y')] };
    const after = {
      type: 'doc',
      content: [
        p('x'),
        table([[cell([p('a')])], [cell([{ type: 'paragraph' }])], [cell([{ type: 'paragraph' }])]], true),
        p('y'),
      ],
    };
    const { document } = writeGoogleDoc(before);
    const pushed = batchUpdateFromDiff(document, readGoogleDoc(document).doc, after);
    expect(pushed.requests.some((r) => 'insertTableRow' in r)).toBe(true);
    expect(readGoogleDoc(applyRequests(document, pushed.requests).document).doc).toEqual(normalizeDoc(after));
  });
});
