/**
 * LibreOffice opens the .odt files we write: it extracts the text we meant, and when it saves them again
 * (its own ODF writer) we read back the document we wrote, apart from two normalisations of its own (it
 * gives every table column a width, and ends a document that ends with a table with an empty paragraph).
 * Its text export indents list items by level.
 * Needs `soffice` (Debian: libreoffice-writer-nogui); all conversions run in two soffice calls with a
 * private profile.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOdt, writeOdt } from '../../../connectors/formats/odt.ts';
import { arbitraryDoc, canonicalDoc, odtFeatures } from '../model/arbitraryDoc.ts';

const SEED = 20240611;
const png =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const text = (t: string, marks?: JSONContent['marks']): JSONContent => ({
  type: 'text',
  text: t,
  ...(marks ? { marks } : {}),
});
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const sample: JSONContent = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1, blockStyle: 'title' }, content: [text('The Title')] },
    { type: 'paragraph', attrs: { blockStyle: 'subtitle' }, content: [text('Sub')] },
    { type: 'heading', attrs: { level: 2 }, content: [text('Heading two')] },
    para(
      text('Bold', [{ type: 'bold' }]),
      text(' and  spaced   text '),
      text('link', [{ type: 'link', attrs: { href: 'https://example.com/' } }]),
      { type: 'image', attrs: { src: png, alt: 'pixel' } },
    ),
    {
      type: 'bulletList',
      content: [
        {
          type: 'listItem',
          content: [
            para(text('item one')),
            {
              type: 'orderedList',
              attrs: { start: 3 },
              content: [{ type: 'listItem', content: [para(text('nested three'))] }],
            },
          ],
        },
      ],
    },
    { type: 'blockquote', content: [para(text('quoted'))] },
    { type: 'codeBlock', content: [text('line1\n  line2\tTab')] },
    { type: 'horizontalRule' },
    { type: 'paragraph', content: [text('the end')] },
  ],
};
const expectedSampleText = [
  'The Title',
  'Sub',
  'Heading two',
  'Bold and  spaced   text link',
  '    • item one',
  '        3. nested three',
  'quoted',
  'line1',
  '  line2\tTab',
  '',
  'the end',
];

const work = mkdtempSync(path.join(tmpdir(), 'docbridge-odt-lo-'));
const docs = fc.sample(arbitraryDoc(odtFeatures), { seed: SEED, numRuns: 12 });

/** LibreOffice's own normalisations, applied to what we wrote before comparing. */
function asLibreOfficeSaves(doc: JSONContent): JSONContent {
  const json = JSON.parse(
    JSON.stringify(canonicalDoc(doc), (k, v) => (k === 'colwidth' ? undefined : v)),
  ) as JSONContent;
  if (json.content?.[json.content.length - 1]?.type === 'table')
    json.content.push({ type: 'paragraph', attrs: { blockStyle: null } });
  return json;
}

function withoutWidths(doc: JSONContent): JSONContent {
  return JSON.parse(JSON.stringify(doc, (k, v) => (k === 'colwidth' ? undefined : v))) as JSONContent;
}

beforeAll(() => {
  mkdirSync(path.join(work, 'in'));
  const inputs = [...docs, sample].map((doc, i) => {
    const file = path.join(work, 'in', `d${i}.odt`);
    writeFileSync(file, writeOdt(doc).bytes);
    return file;
  });
  const soffice = (format: string, outdir: string, files: string[]) =>
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(work, 'profile')}`,
        '--headless',
        '--convert-to',
        format,
        '--outdir',
        outdir,
        ...files,
      ],
      { stdio: 'pipe', timeout: 120_000 },
    );
  soffice('odt', path.join(work, 'odt'), inputs);
  soffice('txt:Text (encoded):UTF8', path.join(work, 'txt'), [inputs[inputs.length - 1] ?? '']);
}, 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('LibreOffice and our .odt', () => {
  it('extracts the text we wrote', () => {
    const txt = readFileSync(path.join(work, 'txt', `d${docs.length}.txt`), 'utf8').replace(/^\uFEFF/, '');
    expect(txt.split(/\r?\n/).filter((line, i, all) => i < all.length - 1 || line !== '')).toEqual(
      expectedSampleText,
    );
  });

  it(`re-saves our files into documents we read back unchanged (seed ${SEED})`, () => {
    [...docs, sample].forEach((doc, i) => {
      const back = readOdt(new Uint8Array(readFileSync(path.join(work, 'odt', `d${i}.odt`))));
      expect(withoutWidths(back.doc), `document ${i}`).toEqual(asLibreOfficeSaves(doc));
    });
  });
});
