/**
 * Writing a document over its original package (.docx and .odt): unedited, every part comes back byte for
 * byte; one edited paragraph changes only that paragraph's XML; other formats warn about what the original
 * holds; `docbridge convert --base` does the same from the command line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../bin/commands/io.ts';
import { main } from '../../../bin/docbridge.ts';
import { readOdt } from '../../../connectors/formats/odt.ts';
import { originalLossWarnings, writeOverOriginal } from '../../../connectors/formats/originalPackage.ts';
import type { PackageFormat } from '../../../connectors/formats/packageFormat.ts';
import { readZip } from '../../../connectors/formats/safeZip.ts';
import { readDocx } from '../../../connectors/microsoft/docx/index.ts';

const fixture = (format: PackageFormat, name: string) =>
  new Uint8Array(readFileSync(`test/fixtures/fidelity/${format}/${name}.${format}`));
const read = (format: PackageFormat, bytes: Uint8Array) =>
  format === 'docx' ? readDocx(bytes).doc : readOdt(bytes).doc;
const mainPart = { docx: 'word/document.xml', odt: 'content.xml' } as const;
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

/** The document with the text of the first paragraph containing `find` replaced by `replace`. */
function edit(doc: JSONContent, find: string, replace: string): JSONContent {
  const copy = structuredClone(doc);
  for (const block of copy.content ?? []) {
    const first = block.content?.[0];
    if (block.type === 'paragraph' && first?.text?.includes(find)) {
      block.content = [{ type: 'text', text: replace }];
      return copy;
    }
  }
  throw new Error(`no paragraph with ${find}`);
}

describe.each(['docx', 'odt'] as const)('writing over the original %s', (format) => {
  it('gives back every part byte for byte when nothing changed', () => {
    const original = fixture(format, 'headerFooter');
    const written = writeOverOriginal(format, read(format, original), original);
    expect(written.warnings).toEqual([]);
    const before = readZip(original);
    const after = readZip(written.bytes);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [name, bytes] of before) expect(after.get(name), name).toEqual(bytes);
  });

  it('regenerates only the edited paragraph; the others keep their XML and every other part stays', () => {
    const original = fixture(format, 'longReport');
    const doc = edit(read(format, original), 'Paragraph 7.3.', 'An edited paragraph.');
    const written = writeOverOriginal(format, doc, original);
    const before = readZip(original);
    const after = readZip(written.bytes);
    for (const [name, bytes] of before) {
      if (name === mainPart[format]) continue;
      if (format === 'odt' && name === 'styles.xml') {
        // Named styles the regenerated blocks use and the original lacks are added; nothing else changes.
        const [head, tail] = text(bytes).split('</office:styles>');
        expect(text(after.get(name)).startsWith(head as string), name).toBe(true);
        expect(text(after.get(name)).endsWith(`</office:styles>${tail}`), name).toBe(true);
      } else expect(after.get(name), name).toEqual(bytes);
    }
    const oldXml = text(before.get(mainPart[format]));
    const newXml = text(after.get(mainPart[format]));
    // Every paragraph but the edited one is still there verbatim (found by its own text, XML and all).
    const paragraphs =
      oldXml.match(format === 'docx' ? /<w:p[ >][\s\S]*?<\/w:p>/g : /<text:p [^>]*>[^<]*<\/text:p>/g) ?? [];
    expect(paragraphs.length).toBeGreaterThan(4800);
    const missing = paragraphs.filter((p) => !newXml.includes(p));
    expect(missing).toHaveLength(1);
    expect(missing[0]).toContain('Paragraph 7.3.');
    expect(read(format, written.bytes)).toEqual(doc);
  });

  it('warns, when exporting to another format, about what the original holds', () => {
    const original = fixture(format, 'headerFooter');
    expect(originalLossWarnings(format, original, format)).toEqual([]);
    const [warning] = originalLossWarnings(format, original, 'md');
    expect(warning?.code).toBe('EXPORT_ORIGINAL_PARTS_LOST');
    expect(warning?.message).toContain('headers and footers');
    expect(originalLossWarnings(format, fixture(format, 'comment'), 'html')[0]?.message).toContain(
      'comments',
    );
  });
});

describe('docbridge convert --base', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'docbridge-base-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const io = (err: string[]): CliIo => ({
    readStdin: async () => new Uint8Array(),
    writeStdout: async () => {},
    warn: (line) => err.push(line),
  });

  it('writes a JSON document over the original .docx and .odt, and refuses a base of another kind', async () => {
    for (const format of ['docx', 'odt'] as const) {
      const original = `test/fixtures/fidelity/${format}/footnote.${format}`;
      const json = path.join(work, `${format}.json`);
      const out = path.join(work, `out.${format}`);
      expect(await main(['convert', original, json], io([]))).toBe(0);
      expect(await main(['convert', json, out, '--base', original], io([]))).toBe(0);
      const before = readZip(new Uint8Array(readFileSync(original)));
      const after = readZip(new Uint8Array(readFileSync(out)));
      for (const [name, bytes] of before) expect(after.get(name), name).toEqual(bytes);
      const warnings: string[] = [];
      expect(await main(['convert', json, path.join(work, 'out.md'), '--base', original], io(warnings))).toBe(
        0,
      );
      expect(warnings.join('\n')).toContain('EXPORT_ORIGINAL_PARTS_LOST');
    }
    writeFileSync(path.join(work, 'notes.md'), '# x\n');
    const err: string[] = [];
    expect(
      await main(
        [
          'convert',
          path.join(work, 'docx.json'),
          path.join(work, 'x.docx'),
          '--base',
          path.join(work, 'notes.md'),
        ],
        io(err),
      ),
    ).not.toBe(0);
    expect(err.join('\n')).toContain('--base must be a .docx or .odt file');
  });
});
