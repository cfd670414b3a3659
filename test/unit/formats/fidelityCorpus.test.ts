/**
 * The fidelity corpus (test/fixtures/fidelity, made by LibreOffice from Flat ODT written for the purpose by
 * build.ts): every feature survives .docx -> JSON -> .docx and .odt -> JSON -> .odt over the original, with
 * one paragraph appended, judged by LibreOffice's own text export; a second round trip is a fixpoint; the
 * feature's own content is still in the package; no atom label holds words a reader never sees in the body.
 * Prints the feature x format table (kept / warned / lost) that docs/fidelity.md reports. Needs `soffice`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codecs, type FormatName } from '../../../bin/commands/formats.ts';
import { originalLossWarnings, writeOverOriginal } from '../../../connectors/formats/originalPackage.ts';
import type { PackageFormat } from '../../../connectors/formats/packageFormat.ts';
import { readZip } from '../../../connectors/formats/safeZip.ts';
import { normalizeDoc } from '../../../connectors/model/schema.ts';
import { libreOfficeConvert } from '../../helpers/libreOffice.ts';
import { fixtures as sharedDocx } from '../docx/docxTestKit.ts';

const root = 'test/fixtures/fidelity';
const packages = ['docx', 'odt'] as const;
const APPENDED = 'Fidelity check appended.';

/** Every node of a schema document, depth first. */
function nodes(doc: JSONContent): JSONContent[] {
  const out: JSONContent[] = [];
  const walk = (n: JSONContent) => {
    out.push(n);
    for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return out;
}
const text = (n: JSONContent): string => (n.text ?? '') + (n.content ?? []).map(text).join('');
const noteWith = (kind: string | null, words: string) => (doc: JSONContent) =>
  nodes(doc).some((n) => n.type === 'note' && (!kind || n.attrs?.kind === kind) && text(n).includes(words));
const atomOf = (kinds: string[]) => (doc: JSONContent) =>
  nodes(doc).some((n) => n.type?.startsWith('atom') && kinds.includes(String(n.attrs?.kind)));

/** A feature: its fixture, how its content shows in schema JSON, and where its words sit in each package. */
interface Feature {
  name: string;
  fixture: string;
  inDoc: (doc: JSONContent) => boolean;
  inPackage: Record<PackageFormat, (parts: Map<string, string>) => boolean>;
}
const anyPart = (pattern: RegExp, words: string | RegExp) => (parts: Map<string, string>) =>
  [...parts].some(
    ([name, xml]) =>
      pattern.test(name) && (typeof words === 'string' ? xml.includes(words) : words.test(xml)),
  );

const features: Feature[] = [
  {
    name: 'footnote',
    fixture: 'footnote',
    inDoc: noteWith('footnote', 'The first source, page twelve.'),
    inPackage: {
      docx: anyPart(/footnotes\.xml$/, 'The first source, page twelve.'),
      odt: anyPart(/^content\.xml$/, /text:note-class="footnote"[\s\S]*The first source, page twelve\./),
    },
  },
  {
    name: 'endnote',
    fixture: 'endnote',
    inDoc: noteWith('endnote', 'Endnote with the full reasoning.'),
    inPackage: {
      docx: anyPart(/endnotes\.xml$/, 'Endnote with the full reasoning.'),
      odt: anyPart(/^content\.xml$/, /text:note-class="endnote"[\s\S]*Endnote with the full reasoning\./),
    },
  },
  {
    name: 'header and footer',
    fixture: 'headerFooter',
    inDoc: () => false,
    inPackage: {
      docx: (p) =>
        anyPart(/header\d*\.xml$/, 'Ministry header line')(p) &&
        anyPart(/footer\d*\.xml$/, 'Footer of the ministry')(p),
      odt: (p) =>
        anyPart(/^styles\.xml$/, /<style:header>[\s\S]*Ministry header line/)(p) &&
        anyPart(/^styles\.xml$/, 'Footer of the ministry')(p),
    },
  },
  {
    name: 'comment',
    fixture: 'comment',
    inDoc: atomOf(['comment', 'commentStart']),
    inPackage: {
      docx: anyPart(/comments\.xml$/, 'HIDDENCOMMENT'),
      odt: anyPart(/^content\.xml$/, /<office:annotation[\s\S]*HIDDENCOMMENT/),
    },
  },
  {
    name: 'tracked changes',
    fixture: 'trackedChanges',
    inDoc: atomOf(['deletion', 'insertion', 'tracked-changes', 'tracked-change']),
    inPackage: {
      docx: anyPart(/document\.xml$/, /<w:del\b[\s\S]*HIDDENDELETED/),
      odt: anyPart(/^content\.xml$/, /<text:deletion>[\s\S]*HIDDENDELETED/),
    },
  },
  {
    name: 'image',
    fixture: 'image',
    inDoc: (doc) =>
      nodes(doc).some((n) => n.type === 'image' && String(n.attrs?.src).startsWith('data:image/png')),
    inPackage: {
      docx: (p) => [...p.keys()].some((n) => n.startsWith('word/media/')),
      odt: (p) => [...p.keys()].some((n) => n.startsWith('Pictures/')),
    },
  },
  {
    name: 'nested table',
    fixture: 'nestedTable',
    inDoc: (doc) =>
      nodes(doc).some(
        (n) => n.type === 'table' && nodes({ type: 'x', content: n.content }).some((c) => c.type === 'table'),
      ),
    inPackage: {
      docx: anyPart(/document\.xml$/, /<w:tc>(?:(?!<\/w:tc>)[\s\S])*<w:tbl>/),
      odt: anyPart(/^content\.xml$/, /table:name="Inner"/),
    },
  },
  {
    name: 'table of contents',
    fixture: 'toc',
    inDoc: (doc) =>
      nodes(doc).some((n) => n.type === 'atomBlock' && String(n.attrs?.label).includes('First chapter')),
    inPackage: {
      docx: anyPart(/document\.xml$/, /TOC \\[\s\S]*First chapter/),
      odt: anyPart(/^content\.xml$/, /<text:table-of-content [\s\S]*First chapter/),
    },
  },
  {
    name: 'bookmarks',
    fixture: 'bookmarks',
    inDoc: atomOf(['bookmark', 'bookmarkStart']),
    inPackage: {
      docx: anyPart(/document\.xml$/, 'w:name="HIDDENBOOKMARK"'),
      odt: anyPart(/^content\.xml$/, 'text:name="HIDDENBOOKMARK"'),
    },
  },
  {
    name: 'page break',
    fixture: 'pageBreak',
    inDoc: atomOf(['pageBreak']),
    inPackage: {
      docx: anyPart(/document\.xml$/, 'w:type="page"'),
      odt: anyPart(/\.xml$/, 'fo:break-before="page"'),
    },
  },
  {
    name: 'long report (301 pages)',
    fixture: 'longReport',
    inDoc: (doc) => nodes(doc).filter((n) => n.type === 'heading').length === 124,
    inPackage: {
      docx: anyPart(/document\.xml$/, 'Chapter 124'),
      odt: anyPart(/^content\.xml$/, 'Chapter 124'),
    },
  },
];

const decoder = new TextDecoder();
/** The parts of a package by name, XML parts as text (others empty: only their names matter). */
const partsText = (bytes: Uint8Array) =>
  new Map([...readZip(bytes)].map(([n, b]) => [n, n.endsWith('.xml') ? decoder.decode(b) : '']));

const work = mkdtempSync(path.join(tmpdir(), 'docbridge-fidelity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Trip {
  original: Uint8Array;
  doc: JSONContent;
  first: Uint8Array;
  second: Uint8Array;
  docAfterFirst: JSONContent;
  docAfterSecond: JSONContent;
  importMs: number;
}
const trips = new Map<string, Trip>();
const key = (fixture: string, format: string) => `${fixture}.${format}`;

beforeAll(() => {
  const files: string[] = [];
  mkdirSync(path.join(work, 'in'));
  for (const feature of features) {
    for (const format of packages) {
      const original = new Uint8Array(readFileSync(`${root}/${format}/${feature.fixture}.${format}`));
      const started = performance.now();
      const doc = codecs[format].read(original).doc;
      const importMs = performance.now() - started;
      // docx/odt -> JSON (text) -> docx/odt over the original, with a paragraph appended.
      const json = normalizeDoc(JSON.parse(JSON.stringify(doc)));
      json.content?.push({ type: 'paragraph', content: [{ type: 'text', text: APPENDED }] });
      const first = writeOverOriginal(format, json, original).bytes;
      const docAfterFirst = codecs[format].read(first).doc;
      const second = writeOverOriginal(
        format,
        normalizeDoc(JSON.parse(JSON.stringify(docAfterFirst))),
        first,
      ).bytes;
      const docAfterSecond = codecs[format].read(second).doc;
      trips.set(key(feature.fixture, format), {
        original,
        doc,
        first,
        second,
        docAfterFirst,
        docAfterSecond,
        importMs,
      });
      // The second trip's main part is compared byte for byte with the first's, so it needs no LibreOffice run.
      for (const [variant, bytes] of [
        ['original', original],
        ['first', first],
      ] as const) {
        const file = path.join(work, 'in', `${feature.fixture}-${variant}-${format}.${format}`);
        writeFileSync(file, bytes);
        files.push(file);
      }
    }
  }
  libreOfficeConvert(work, 'txt:Text (encoded):UTF8', path.join(work, 'txt'), files);
});

/** LibreOffice's text of one written file, blank lines and trailing spaces ignored. */
function libreText(fixture: string, variant: string, format: string): string[] {
  return readFileSync(path.join(work, 'txt', `${fixture}-${variant}-${format}.txt`), 'utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l) => l.trimEnd())
    .filter((l) => l !== '');
}

describe.each(packages)('fidelity corpus, %s -> JSON -> the same format over the original', (format) => {
  it.each(features.map((f) => [f.name, f] as const))(
    '%s survives, and a second round trip is a fixpoint',
    (_name, feature) => {
      const trip = trips.get(key(feature.fixture, format)) as Trip;
      expect(feature.inPackage[format](partsText(trip.original)), 'the fixture holds the feature').toBe(true);
      expect(
        feature.inPackage[format](partsText(trip.first)),
        'the feature is still in the package written',
      ).toBe(true);
      if (feature.name !== 'header and footer')
        expect(feature.inDoc(trip.doc), 'read into the document').toBe(true);
      expect(trip.docAfterSecond).toEqual(trip.docAfterFirst);
      const main = format === 'docx' ? 'word/document.xml' : 'content.xml';
      expect(decoder.decode(readZip(trip.second).get(main))).toBe(
        decoder.decode(readZip(trip.first).get(main)),
      );
      // LibreOffice's own text: the original's, plus the appended line, the same after the second trip.
      const original = libreText(feature.fixture, 'original', format);
      expect(original.length).toBeGreaterThan(0);
      expect(libreText(feature.fixture, 'first', format)).toEqual([...original, APPENDED]);
    },
  );
});

/** Words planted where a reader never sees them in the body (comment bodies and authors, deleted text...). */
const HIDDEN = /HIDDEN(COMMENT|AUTHOR|DELETED|BOOKMARK)/;

describe('atom labels hold only visible text', () => {
  it('no label of the corpus holds a planted hidden word; the ODT index label is its visible lines', () => {
    let labels = 0;
    for (const trip of trips.values()) {
      for (const n of nodes(trip.doc)) {
        if (!n.type?.startsWith('atom')) continue;
        labels += 1;
        expect(String(n.attrs?.label)).not.toMatch(HIDDEN);
      }
    }
    expect(labels).toBeGreaterThan(10);
    const toc = nodes((trips.get(key('toc', 'odt')) as Trip).doc).find((n) => n.type === 'atomBlock');
    expect(toc?.attrs?.label).toBe('Contents\nFirst chapter\t1\nSecond chapter\t1');
  });

  it('no label of the shared docx fixtures holds deleted text or a comment', () => {
    for (const fixture of sharedDocx()) {
      const { doc } = codecs.docx.read(new Uint8Array(readFileSync(fixture.file)));
      for (const n of nodes(doc)) {
        if (['deletion', 'comment', 'commentStart', 'commentEnd', 'bookmark'].includes(String(n.attrs?.kind)))
          expect(n.attrs?.label, fixture.name).toBe('');
      }
    }
  });
});

type Status = 'kept' | 'warned' | 'lost';

/**
 * Where a feature stands once a document holding it goes to `target` and back: kept (read back), warned
 * (not read back, but a warning says so) or lost. Package targets are written over the original.
 */
function statusIn(feature: Feature, source: PackageFormat, target: FormatName): Status {
  const trip = trips.get(key(feature.fixture, source)) as Trip;
  if (target === source) {
    const kept =
      feature.inPackage[source](partsText(trip.first)) &&
      (feature.name === 'header and footer' || feature.inDoc(trip.docAfterFirst));
    return kept ? 'kept' : 'lost';
  }
  const written = codecs[target].write(trip.doc);
  const warnings = [...written.warnings, ...originalLossWarnings(source, trip.original, target)];
  if (feature.inDoc(codecs[target].read(written.bytes).doc)) return 'kept';
  return warnings.length ? 'warned' : 'lost';
}

describe('fidelity table', () => {
  it('prints feature x format (kept / warned / lost) and loses nothing silently', () => {
    const targets: FormatName[] = ['docx', 'odt', 'md', 'html', 'gdoc'];
    const rows: string[] = [];
    for (const source of packages) {
      for (const feature of features) {
        const cells = targets.map((target) => statusIn(feature, source, target));
        expect(cells, `${feature.name} from ${source}`).not.toContain('lost');
        rows.push(`| ${feature.name} (from .${source}) | ${cells.join(' | ')} |`);
      }
    }
    const import300 = Math.max(...packages.map((f) => (trips.get(key('longReport', f)) as Trip).importMs));
    console.log(
      `| Feature | ${targets.join(' | ')} |\n|---|${targets.map(() => '---|').join('')}\n${rows.join('\n')}`,
    );
    console.log(`301-page report import: ${import300.toFixed(0)} ms (slowest of .docx and .odt)`);
  });
});
