import { describe, expect, it } from 'vitest';
import {
  childElements,
  escapeXmlAttr,
  escapeXmlText,
  getAttr,
  parseXml,
  textContent,
} from '../../../connectors/formats/safeXml.ts';

describe('safeXml', () => {
  it('records source offsets so unchanged elements can be copied byte for byte', () => {
    const source =
      '<?xml version="1.0"?>\r\n<a:r xmlns:a="urn:a" xmlns:b="urn:b"><a:p  b:x="1">hi &amp; <![CDATA[<yo>]]></a:p><a:q/>\n<a:s>é😀</a:s></a:r>';
    const root = parseXml(source);
    expect(source.slice(root.start, root.end)).toBe(source.slice(source.indexOf('<a:r')));
    const [p, q, s] = childElements(root, 'urn:a');
    expect(source.slice(p?.start, p?.end)).toBe('<a:p  b:x="1">hi &amp; <![CDATA[<yo>]]></a:p>');
    expect(source.slice(q?.start, q?.end)).toBe('<a:q/>');
    expect(source.slice(s?.start, s?.end)).toBe('<a:s>é😀</a:s>');
    expect(p && getAttr(p, 'urn:b', 'x')).toBe('1');
    expect(p && textContent(p)).toBe('hi & <yo>');
  });

  it('refuses DOCTYPE, undefined entities, bad encodings and deep nesting with stable codes', () => {
    const code = (input: string | Uint8Array, limits = {}) => {
      try {
        parseXml(input, limits);
      } catch (err) {
        return (err as { code?: string }).code;
      }
      return 'parsed';
    };
    expect(code('<!DOCTYPE x SYSTEM "http://evil/x.dtd"><x/>')).toBe('XML_DOCTYPE_FORBIDDEN');
    expect(code('<x>&ent;</x>')).toBe('XML_MALFORMED');
    expect(code(new Uint8Array([0x3c, 0x78, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x78, 0x3e]))).toBe(
      'XML_ENCODING_INVALID',
    );
    expect(code(`${'<a>'.repeat(300)}${'</a>'.repeat(300)}`)).toBe('NESTING_TOO_DEEP');
    expect(code('<a><b/><b/><b/></a>', { maxElements: 3 })).toBe('XML_TOO_LARGE');
    expect(code(new Uint8Array([0xef, 0xbb, 0xbf, 0x3c, 0x78, 0x2f, 0x3e]))).toBe('parsed');
  });

  it('escapes text and attributes, dropping characters XML cannot hold', () => {
    expect(escapeXmlText('a<b>&c\u0001\uFFFE')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlAttr('"q"\t\n')).toBe('&quot;q&quot;&#9;&#10;');
    const text = 'x\ud800y😀';
    expect(escapeXmlText(text)).toBe('xy😀');
  });
});
