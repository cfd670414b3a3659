import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDocx, writeDocx } from '../../../connectors/microsoft/docx/index.ts';
import { normalizeDoc } from '../../../connectors/model/schema.ts';
import { editOneBlock, fixtures } from './docxTestKit.ts';

const all = fixtures();
const documentXml = (bytes: Uint8Array, part = 'word/document.xml') => unzipSync(bytes)[part] as Uint8Array;

describe('docx fixtures', () => {
  it('finds the 61 shared fixtures', () => {
    expect(all.length).toBe(61);
  });

  describe.each(all)('$name', ({ file }) => {
    const bytes = new Uint8Array(readFileSync(file));
    const read = readDocx(bytes);

    it('imports to a non-empty schema document', () => {
      expect(read.doc.type).toBe('doc');
      expect(read.doc.content?.length).toBeGreaterThan(0);
    });

    it('written back unedited keeps document.xml byte for byte and reads back equal', () => {
      const written = writeDocx(read.doc, { base: read.source });
      expect(
        Buffer.compare(
          documentXml(written.bytes, read.source.documentPart),
          documentXml(bytes, read.source.documentPart),
        ),
      ).toBe(0);
      expect(readDocx(written.bytes).doc).toEqual(read.doc);
    });

    it('reaches a fixpoint when every block is regenerated in the original package', () => {
      // Forget every hash so each block goes through the generator (with its original properties).
      const forced = { ...read.source, blocks: read.source.blocks.map((b) => ({ ...b, hash: 'changed' })) };
      const written = writeDocx(read.doc, { base: forced });
      expect(readDocx(written.bytes).doc).toEqual(read.doc);
    });

    it('reaches a fixpoint as a brand-new package, except atoms that need their original package', () => {
      const written = writeDocx(read.doc);
      const again = readDocx(written.bytes).doc;
      if (written.warnings.some((w) => w.code === 'DOCX_ATOM_NEEDS_ORIGINAL')) {
        // Note references, comment anchors and drawings pointing at parts a new package lacks become their label.
        expect(JSON.stringify(again)).not.toContain('"payload":"<w:footnoteReference');
        expect(again.content?.length).toBe(read.doc.content?.length);
      } else {
        expect(again).toEqual(read.doc);
      }
    });

    it('an edited block changes only that block in document.xml', () => {
      const edit = editOneBlock(read.doc);
      const written = writeDocx(edit.doc, { base: read.source });
      const before = read.source.documentXml;
      const after = new TextDecoder().decode(documentXml(written.bytes, read.source.documentPart));
      const start =
        read.source.head.length +
        read.source.blocks.slice(0, edit.index).reduce((n, b) => n + b.xml.length, 0);
      const end = edit.appended ? start : start + (read.source.blocks[edit.index]?.xml.length ?? 0);
      const suffix = before.length - end;
      expect(after.slice(0, start)).toBe(before.slice(0, start));
      expect(after.slice(after.length - suffix)).toBe(before.slice(end));
      expect(after.slice(start, after.length - suffix)).toContain('(edited)');
      expect(readDocx(written.bytes).doc).toEqual(normalizeDoc(edit.doc));
    });
  });
});
