import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOdt, writeOdt } from '../../../connectors/formats/odt.ts';
import { readZip, writeZip } from '../../../connectors/formats/safeZip.ts';
import { sealAtom } from '../../../connectors/model/atomSeal.ts';
import { arbitraryDoc, canonicalDoc, odtFeatures } from '../model/arbitraryDoc.ts';

describe('odt', () => {
  it('keeps every document the ODF profile generates (write then read)', () => {
    fc.assert(
      fc.property(arbitraryDoc(odtFeatures), (doc) => {
        const { bytes, warnings } = writeOdt(doc);
        expect(warnings).toEqual([]);
        const back = readOdt(bytes);
        expect(back.doc).toEqual(canonicalDoc(doc));
        expect(back.warnings).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});

const encoder = new TextEncoder();
const OFFICE = 'urn:oasis:names:tc:opendocument:xmlns:office:1.0';
const NS_ATTRS =
  `xmlns:office="${OFFICE}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ' +
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" ' +
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/"';

/** An .odt package holding `content` as content.xml (and optional extra entries). */
function odtWith(content: string, extra: Record<string, Uint8Array> = {}): Uint8Array {
  return writeZip([
    { name: 'mimetype', bytes: encoder.encode('application/vnd.oasis.opendocument.text'), store: true },
    { name: 'content.xml', bytes: encoder.encode(content) },
    ...Object.entries(extra).map(([name, bytes]) => ({ name, bytes })),
  ]);
}

function contentXml(body: string, automaticStyles = ''): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS_ATTRS} office:version="1.3">` +
    `<office:automatic-styles>${automaticStyles}</office:automatic-styles>` +
    `<office:body><office:text>${body}</office:text></office:body></office:document-content>`
  );
}

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('odt package', () => {
  it('starts with an uncompressed mimetype entry and lists every part in the manifest', () => {
    const png =
      'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const { bytes } = writeOdt({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'image', attrs: { src: png } }] }],
    });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0); // STORED
    expect(new TextDecoder().decode(bytes.subarray(30, 38))).toBe('mimetype');
    expect(new TextDecoder().decode(bytes.subarray(38, 38 + 39))).toBe(
      'application/vnd.oasis.opendocument.text',
    );
    const files = readZip(bytes);
    const manifest = new TextDecoder().decode(files.get('META-INF/manifest.xml'));
    for (const name of files.keys()) {
      if (name === 'mimetype' || name.startsWith('META-INF/')) continue;
      expect(manifest).toContain(`manifest:full-path="${name}"`);
    }
    expect([...files.keys()].some((n) => /^Pictures\/[0-9a-f]{16}\.png$/.test(n))).toBe(true);
    expect(writeOdt({ type: 'doc', content: [{ type: 'paragraph' }] }).bytes).toEqual(
      writeOdt({ type: 'doc', content: [{ type: 'paragraph' }] }).bytes,
    );
  });
});

describe('odt import of features the schema lacks', () => {
  const body =
    '<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Figure"/></text:sequence-decls>' +
    '<text:table-of-content text:name="TOC1"><text:index-body><text:p>Contents 1</text:p></text:index-body></text:table-of-content>' +
    '<text:p text:style-name="P1">Bold para<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>' +
    '<text:note-body><text:p>The note.</text:p></text:note-body></text:note> and <text:bookmark text:name="here"/>a field ' +
    '<text:date text:date-value="2024-01-02">02/01/2024</text:date><text:span text:style-name="T1"> mono</text:span>' +
    '<office:annotation><dc:creator>Ann</dc:creator><text:p>Check this</text:p></office:annotation>!</text:p>' +
    '<text:section text:name="Section1"><text:p>In a plain section</text:p></text:section>' +
    '<text:p text:style-name="Quotations">q1</text:p><text:p text:style-name="Quotations">q2</text:p>';
  const styles =
    '<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-weight="bold"/></style:style>' +
    '<style:style style:name="T1" style:family="text"><style:text-properties style:font-name="Courier New"/></style:style>';
  const input = odtWith(contentXml(body, styles));

  it('reads notes as notes; keeps bookmarks, fields, comments and indexes as atoms; reads styles as marks', () => {
    const { doc, warnings } = readOdt(input);
    const [toc, paragraph, plain, quote] = doc.content ?? [];
    expect(toc).toMatchObject({
      type: 'atomBlock',
      attrs: { kind: 'table-of-content', label: 'Contents 1', source: 'odt' },
    });
    expect(String(toc?.attrs?.payload)).toMatch(
      /^<text:table-of-content text:name="TOC1">.*<\/text:table-of-content>$/,
    );
    const atoms = paragraph?.content
      ?.filter((n) => n.type === 'atomInline')
      .map((n) => [n.attrs?.kind, n.attrs?.label]);
    // Labels are what a reader sees in the body there: no bookmark name, no comment author or text.
    expect(atoms).toEqual([
      ['bookmark', ''],
      ['field', '02/01/2024'],
      ['comment', ''],
    ]);
    expect(paragraph?.content?.find((n) => n.type === 'note')).toMatchObject({
      attrs: { kind: 'footnote', source: 'odt' },
      content: [{ type: 'text', text: 'The note.' }],
    });
    expect(paragraph?.content?.[0]).toMatchObject({ text: 'Bold para', marks: [{ type: 'bold' }] });
    expect(paragraph?.content?.find((n) => n.text === ' mono')?.marks).toEqual([{ type: 'code' }]);
    expect(plain).toMatchObject({ type: 'paragraph', content: [{ text: 'In a plain section' }] });
    expect(quote).toMatchObject({
      type: 'blockquote',
      content: [{ content: [{ text: 'q1' }] }, { content: [{ text: 'q2' }] }],
    });
    expect(warnings.map((w) => w.code)).toEqual(['ODT_SECTION_UNWRAPPED']);
  });

  it('writes ODF atoms back verbatim, so a second read is identical (fixpoint)', () => {
    const first = readOdt(input);
    // Over its original, an unedited note is written back verbatim too.
    const overBytes = writeOdt(first.doc, { base: first.source }).bytes;
    expect(readOdt(overBytes).doc).toEqual(first.doc);
    const over = new TextDecoder().decode(readZip(overBytes).get('content.xml'));
    expect(over).toContain('<text:note text:id="n1" text:note-class="footnote">');
    const written = writeOdt(first.doc);
    expect(written.warnings).toEqual([]);
    const content = new TextDecoder().decode(readZip(written.bytes).get('content.xml'));
    expect(content).toContain('<text:note-body><text:p text:style-name="Footnote">The note.</text:p>');
    expect(content).toContain('<office:annotation><dc:creator>Ann</dc:creator>');
    const again = readOdt(written.bytes).doc;
    expect(readOdt(writeOdt(again).bytes).doc).toEqual(again);
  });

  it('writes atoms from other formats, or with a broken payload, as their label with a warning', () => {
    const broken = '<text:p>unclosed';
    const doc: JSONContent = {
      type: 'doc',
      content: [
        {
          type: 'atomBlock',
          attrs: { kind: 'equation', label: 'E=mc²', source: 'docx', payload: '<m:oMath/>' },
        },
        {
          type: 'paragraph',
          content: [
            {
              type: 'atomInline',
              attrs: { kind: 'x', label: 'L', source: 'odt', payload: broken, seal: sealAtom('odt', broken) },
            },
          ],
        },
      ],
    };
    const { bytes, warnings } = writeOdt(doc);
    expect(warnings.map((w) => w.code)).toEqual(['ODT_ATOM_AS_TEXT']);
    const back = readOdt(bytes).doc.content ?? [];
    expect(back[0]).toMatchObject({ type: 'paragraph', content: [{ text: 'E=mc²' }] });
    expect(back[1]).toMatchObject({ type: 'paragraph', content: [{ text: 'L' }] });
  });
});

describe('odt tables', () => {
  it('keeps row and column spans, header rows and column widths', () => {
    const cell = (type: string, text: string, attrs: Record<string, unknown> = {}): JSONContent => ({
      type,
      attrs,
      content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
    });
    const doc: JSONContent = {
      type: 'doc',
      content: [
        {
          type: 'table',
          content: [
            {
              type: 'tableRow',
              content: [
                cell('tableHeader', 'A', { colspan: 2, colwidth: [80, 120] }),
                cell('tableHeader', 'C', { colwidth: [60] }),
              ],
            },
            {
              type: 'tableRow',
              content: [
                cell('tableCell', 'tall', { rowspan: 2, colwidth: [80] }),
                cell('tableCell', 'b', { colwidth: [120] }),
                cell('tableCell', 'c', { colwidth: [60] }),
              ],
            },
            {
              type: 'tableRow',
              content: [
                cell('tableCell', 'e', { colwidth: [120] }),
                cell('tableHeader', 'f', { colwidth: [60] }),
              ],
            },
          ],
        },
      ],
    };
    const { bytes, warnings } = writeOdt(doc);
    expect(warnings).toEqual([]);
    const content = new TextDecoder().decode(readZip(bytes).get('content.xml'));
    expect(content).toContain('<table:table-header-rows>');
    expect(content.match(/<table:covered-table-cell\/>/g)?.length).toBe(2);
    expect(readOdt(bytes).doc).toEqual(canonicalDoc(doc));
  });
});

describe('odt hostile input', () => {
  const valid = writeOdt({
    type: 'doc',
    content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }],
  }).bytes;
  const cases: [string, () => Uint8Array, string][] = [
    ['not a zip', () => encoder.encode('<html>hello</html>'), 'ODT_NOT_A_ZIP'],
    ['empty file', () => new Uint8Array(0), 'ODT_NOT_A_ZIP'],
    ['truncated package', () => valid.subarray(0, Math.floor(valid.length / 2)), 'INPUT_TRUNCATED'],
    ['truncated central directory', () => valid.subarray(0, valid.length - 30), 'INPUT_TRUNCATED'],
    [
      'zip bomb by ratio',
      () =>
        odtWith(contentXml('<text:p>x</text:p>'), { 'Pictures/bomb.bin': new Uint8Array(20 * 1024 * 1024) }),
      'ODT_ZIP_BOMB',
    ],
    [
      'path traversal',
      () => odtWith(contentXml('<text:p>x</text:p>'), { '../evil.xml': encoder.encode('x') }),
      'ODT_UNSAFE_PATH',
    ],
    [
      'absolute path',
      () => odtWith(contentXml('<text:p>x</text:p>'), { '/etc/passwd': encoder.encode('x') }),
      'ODT_UNSAFE_PATH',
    ],
    [
      'DOCTYPE with external entity (XXE)',
      () =>
        odtWith(
          `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${contentXml('<text:p>&x;</text:p>').replace(/^<\?xml[^>]*\?>/, '')}`,
        ),
      'XML_DOCTYPE_FORBIDDEN',
    ],
    [
      'billion laughs',
      () =>
        odtWith(
          `<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>`,
        ),
      'XML_DOCTYPE_FORBIDDEN',
    ],
    ['malformed XML', () => odtWith('<office:document-content><text:p>'), 'XML_MALFORMED'],
    [
      'deep nesting',
      () => odtWith(contentXml(`${'<text:span>'.repeat(400)}x${'</text:span>'.repeat(400)}`)),
      'NESTING_TOO_DEEP',
    ],
    [
      'missing content.xml',
      () =>
        writeZip([
          { name: 'mimetype', bytes: encoder.encode('application/vnd.oasis.opendocument.text'), store: true },
        ]),
      'ODT_MISSING_CONTENT',
    ],
    [
      'spreadsheet',
      () =>
        writeZip([
          {
            name: 'mimetype',
            bytes: encoder.encode('application/vnd.oasis.opendocument.spreadsheet'),
            store: true,
          },
        ]),
      'ODT_WRONG_TYPE',
    ],
    [
      'invalid UTF-8',
      () => writeZip([{ name: 'content.xml', bytes: new Uint8Array([0x3c, 0x61, 0xff, 0x3e]) }]),
      'XML_ENCODING_INVALID',
    ],
  ];
  for (const [name, make, code] of cases) {
    it(`refuses ${name} with ${code}`, () => {
      expect(errorCode(() => readOdt(make()))).toBe(code);
    });
  }

  it('refuses an entry that inflates past its declared size without inflating it all', () => {
    const bytes = odtWith(contentXml('<text:p>x</text:p>'), {
      'Pictures/a.bin': new Uint8Array(4 * 1024 * 1024),
    });
    // Lie in the central directory: declare the picture as 1,000 bytes.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let at = bytes.length - 22; at > 0; at -= 1) {
      if (view.getUint32(at, true) !== 0x02014b50) continue;
      const nameLength = view.getUint16(at + 28, true);
      const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
      if (name === 'Pictures/a.bin') view.setUint32(at + 24, 1000, true);
    }
    expect(errorCode(() => readZip(bytes, { codePrefix: 'ODT' }))).toBe('ODT_ZIP_BOMB');
    // The reader inflates only the parts it needs: the unreferenced picture is never decompressed.
    expect(readOdt(bytes).doc.content?.[0]).toMatchObject({ type: 'paragraph' });
  });

  it('refuses packages whose total uncompressed size is over the limit', () => {
    const bytes = odtWith(contentXml('<text:p>x</text:p>'), { 'a.bin': new Uint8Array(3000).fill(7) });
    expect(errorCode(() => readOdt(bytes, { limits: { maxTotalBytes: 2000 } }))).toBe('ODT_TOO_LARGE');
  });

  it('drops unsafe link and image URLs from imported documents', () => {
    const body =
      '<text:p><text:a xlink:href="javascript:alert(1)">click</text:a>' +
      '<draw:frame><draw:image xlink:href="data:text/html;base64,PHNjcmlwdD4="/><svg:desc>pic</svg:desc></draw:frame></text:p>';
    const { doc, warnings } = readOdt(odtWith(contentXml(body)));
    expect(JSON.stringify(doc)).not.toMatch(/javascript|data:text/);
    expect(warnings.map((w) => w.code).sort()).toEqual(['ODT_IMAGE_DROPPED', 'ODT_UNSAFE_URL_DROPPED']);
  });
});
