/**
 * Our text of every docx fixture equals LibreOffice's independent extraction, and LibreOffice opens every
 * .docx we write (each fixture patched with one edit, and each fixture's document as a brand-new package)
 * and extracts the text we meant. Needs `soffice` (Debian: libreoffice-writer-nogui); all conversions run in
 * one soffice call with a private profile.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocx, writeDocx } from '../../../connectors/microsoft/docx/index.ts';
import { libreOfficeConvert } from '../../helpers/libreOffice.ts';
import { compareText, docText, editOneBlock, fixtures } from './docxTestKit.ts';

const all = fixtures().map((f, i) => ({ ...f, key: `f${String(i).padStart(2, '0')}` }));
const work = mkdtempSync(path.join(tmpdir(), 'docbridge-docx-lo-'));
const expected = new Map<string, JSONContent>();

beforeAll(() => {
  const inputs: string[] = [];
  mkdirSync(path.join(work, 'in'));
  for (const f of all) {
    const bytes = new Uint8Array(readFileSync(f.file));
    const read = readDocx(bytes);
    const original = path.join(work, 'in', `${f.key}-original.docx`);
    copyFileSync(f.file, original);
    expected.set(`${f.key}-original`, read.doc);
    const edit = editOneBlock(read.doc);
    const patched = writeDocx(edit.doc, { base: read.source }).bytes;
    writeFileSync(path.join(work, 'in', `${f.key}-patched.docx`), patched);
    expected.set(`${f.key}-patched`, readDocx(patched).doc);
    const fresh = writeDocx(read.doc).bytes;
    writeFileSync(path.join(work, 'in', `${f.key}-new.docx`), fresh);
    expected.set(`${f.key}-new`, readDocx(fresh).doc);
    inputs.push(
      original,
      path.join(work, 'in', `${f.key}-patched.docx`),
      path.join(work, 'in', `${f.key}-new.docx`),
    );
  }
  libreOfficeConvert(work, 'txt:Text', path.join(work, 'out'), inputs, 110_000);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Known LibreOffice differences (also listed in docs/fidelity.md): the text of a floating text box is left out
 * of LibreOffice's text export once its paragraph is followed by another one, so there we compare without it.
 */
const exclusions: Record<string, { omit: string[]; reason: string }> = {
  'mammoth.js/text-box.docx:patched': {
    omit: ['textBox'],
    reason:
      "without the floating text box's text (LibreOffice's text export drops it once another paragraph follows)",
  },
};

describe.each(all)('LibreOffice text of $name', ({ key, name }) => {
  for (const variant of ['original', 'patched', 'new'] as const) {
    const exclusion = exclusions[`${name}:${variant}`];
    it(`${variant}: equals our text${exclusion ? ` ${exclusion.reason}` : ''}`, () => {
      const libre = readFileSync(path.join(work, 'out', `${key}-${variant}.txt`), 'utf8');
      const ours = docText(expected.get(`${key}-${variant}`) as JSONContent, exclusion?.omit);
      expect(compareText(ours, libre)).toBeUndefined();
    });
  }
});
