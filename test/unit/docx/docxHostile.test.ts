/** Hostile packages, built in memory: each is refused with its ConversionError code, never a crash or a hang. */
import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDocx } from '../../../connectors/microsoft/docx/index.ts';
import { isConversionError } from '../../../connectors/model/errors.ts';
import { fixtures } from './docxTestKit.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

function pkg(documentXml: string, extra: Record<string, Uint8Array> = {}): Uint8Array {
  return zipSync({
    '[Content_Types].xml': enc(
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
    ),
    'word/document.xml': enc(documentXml),
    ...extra,
  });
}

function codeOf(bytes: Uint8Array): string {
  try {
    readDocx(bytes);
  } catch (err) {
    if (isConversionError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('hostile docx input', () => {
  it('refuses bytes that are not a zip', () => {
    expect(codeOf(enc('this is plain text, not a package'))).toBe('DOCX_NOT_A_ZIP');
  });

  it('refuses a truncated package', () => {
    const whole = new Uint8Array(readFileSync(fixtures()[0]?.file as string));
    expect(codeOf(whole.subarray(0, Math.floor(whole.length / 2)))).toBe('INPUT_TRUNCATED');
  });

  it('refuses a zip bomb (an entry with an extreme compression ratio)', () => {
    const bomb = zipSync({ 'word/document.xml': [new Uint8Array(8 * 1024 * 1024), { level: 9 }] });
    expect(codeOf(bomb)).toBe('DOCX_ZIP_BOMB');
  });

  it('refuses entries that climb out of the package', () => {
    expect(
      codeOf(pkg(`<w:document xmlns:w="${W}"><w:body/></w:document>`, { '../evil.xml': enc('<x/>') })),
    ).toBe('DOCX_UNSAFE_PATH');
  });

  it('refuses too many entries', () => {
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 5001; i++) many[`word/media/x${i}.bin`] = new Uint8Array(1);
    expect(codeOf(pkg(`<w:document xmlns:w="${W}"><w:body/></w:document>`, many))).toBe('DOCX_TOO_LARGE');
  });

  it('refuses a DOCTYPE with an external entity (XXE)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`;
    expect(codeOf(pkg(xxe))).toBe('XML_DOCTYPE_FORBIDDEN');
  });

  it('refuses entity expansion bombs (billion laughs)', () => {
    let entities = '<!ENTITY l0 "lol">';
    for (let i = 1; i < 10; i++) entities += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
    const laughs = `<?xml version="1.0"?><!DOCTYPE d [${entities}]><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>`;
    expect(codeOf(pkg(laughs))).toBe('XML_DOCTYPE_FORBIDDEN');
  });

  it('refuses absurd nesting depth', () => {
    const deep = `<w:document xmlns:w="${W}"><w:body><w:p>${'<w:smartTag>'.repeat(5000)}${'</w:smartTag>'.repeat(5000)}</w:p></w:body></w:document>`;
    expect(codeOf(pkg(deep))).toBe('NESTING_TOO_DEEP');
  });

  it('refuses truncated XML inside a valid zip', () => {
    expect(codeOf(pkg(`<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>cut`))).toBe('INPUT_TRUNCATED');
  });

  it('refuses a package without a main document', () => {
    expect(codeOf(zipSync({ 'other.xml': enc('<x/>') }))).toBe('DOCX_NO_DOCUMENT');
  });
});
