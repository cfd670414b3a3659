import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDocx, writeDocxOver } from '../../../connectors/microsoft/docx/index.ts';
import { normalizeDoc } from '../../../connectors/model/schema.ts';
import { changedRegion, insideOneParagraph } from '../../helpers/docxChanges.ts';
import { fixtureRoot } from './docxTestKit.ts';

const documentXml = (bytes: Uint8Array) =>
  new TextDecoder().decode(unzipSync(bytes)['word/document.xml'] as Uint8Array);
const load = (name: string) => new Uint8Array(readFileSync(path.join(fixtureRoot, name)));

/** The first (or `nth`) table's first cell's first paragraph, where the edits go. */
function firstCellParagraph(doc: JSONContent, nth = 0): JSONContent {
  const table = doc.content!.filter((b) => b.type === 'table')[nth]!;
  return table.content![0]!.content![0]!.content![0]!;
}

describe('docx tables patched cell by cell', () => {
  // The last tbl-props table follows an XML comment, which stays with it.
  for (const [name, nth] of [
    ['python-docx/tbl-cell-props.docx', 0],
    ['python-docx/tbl-2x2-table.docx', 0],
    ['python-docx/tbl-having-applied-style.docx', 0],
    ['python-docx/tbl-props.docx', 0],
    ['python-docx/tbl-props.docx', -1],
  ] as const) {
    it(`${name}, table ${nth}: a cell's text edited changes only that paragraph of document.xml`, () => {
      const bytes = load(name);
      const { doc } = readDocx(bytes);
      const edited = structuredClone(doc) as JSONContent;
      const tables = edited.content!.filter((b) => b.type === 'table').length;
      const paragraph = firstCellParagraph(edited, nth < 0 ? tables + nth : nth);
      paragraph.content = [...(paragraph.content ?? []), { type: 'text', text: ' (edited)' }];
      const written = writeDocxOver(edited, bytes).bytes;
      const before = documentXml(bytes);
      const after = documentXml(written);
      const [start, oldEnd, newEnd] = changedRegion(before, after);
      expect(after.slice(start, newEnd)).toContain('(edited)');
      expect(insideOneParagraph(before, start, oldEnd), 'inside one original paragraph').toBe(true);
      expect(readDocx(written).doc).toEqual(normalizeDoc(edited));
    });
  }

  it('regenerates a table whose structure changed (a row added), keeping its properties', () => {
    const bytes = load('python-docx/tbl-having-applied-style.docx');
    const { doc } = readDocx(bytes);
    const edited = structuredClone(doc) as JSONContent;
    const table = edited.content!.find((b) => b.type === 'table')!;
    const row = structuredClone(table.content![0]!);
    for (const cell of row.content ?? [])
      cell.content = [{ type: 'paragraph', content: [{ type: 'text', text: 'new' }] }];
    table.content!.push(row);
    const written = writeDocxOver(edited, bytes).bytes;
    const tblPr = /<w:tblPr>[\s\S]*?<\/w:tblPr>/.exec(documentXml(bytes))![0];
    expect(documentXml(written)).toContain(tblPr);
    expect(readDocx(written).doc).toEqual(normalizeDoc(edited));
  });
});
