/**
 * Every loss the docx converter makes is reported (docs/fidelity.md): each case builds the smallest schema
 * document holding the feature, checks the warning code, and checks that the loss is real (read back, the
 * feature is gone) while the same document without the feature writes without that warning.
 */
import type { JSONContent } from '@tiptap/core';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readDocx, writeDocx } from '../../../connectors/microsoft/docx/index.ts';

const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });
const para = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const text = (t: string, marks?: JSONContent['marks']): JSONContent =>
  marks ? { type: 'text', text: t, marks } : { type: 'text', text: t };
const linked = (attrs: Record<string, unknown>): JSONContent =>
  para(text('site', [{ type: 'link', attrs: { href: 'https://example.com/', ...attrs } }]));

function codes(written: { warnings: { code: string }[] }): string[] {
  return written.warnings.map((w) => w.code);
}

/** The attributes of the first link mark in `d`, depth first. */
function firstLinkAttrs(d: JSONContent): Record<string, unknown> | undefined {
  for (const m of d.marks ?? []) if (m.type === 'link') return m.attrs;
  for (const c of d.content ?? []) {
    const found = firstLinkAttrs(c);
    if (found) return found;
  }
  return undefined;
}

describe('docx writer: link target, rel, class and title (DOCX_LINK_ATTRS_LOST)', () => {
  it.each([
    ['title', { title: 'A title' }],
    ['target', { target: '_self' }],
    ['no target (reads back as _blank)', { target: null }],
    ['rel', { rel: 'nofollow' }],
    ['class', { class: 'external' }],
  ])('warns for a link %s and the attribute does not come back', (_name, attrs) => {
    const written = writeDocx(doc(linked(attrs)));
    expect(codes(written)).toContain('DOCX_LINK_ATTRS_LOST');
    const back = firstLinkAttrs(readDocx(written.bytes).doc);
    const [key, value] = Object.entries(attrs)[0] as [string, unknown];
    expect(back?.[key]).not.toEqual(value);
  });

  it('does not warn for a link with the attributes Word reads back', () => {
    const written = writeDocx(doc(linked({})));
    expect(codes(written)).not.toContain('DOCX_LINK_ATTRS_LOST');
    expect(firstLinkAttrs(readDocx(written.bytes).doc)?.href).toBe('https://example.com/');
  });

  it('counts repeats under one warning', () => {
    const written = writeDocx(doc(linked({ title: 'a' }), linked({ target: '_top' })));
    const lost = written.warnings.filter((w) => w.code === 'DOCX_LINK_ATTRS_LOST');
    expect(lost).toHaveLength(1);
    expect(lost[0]?.message).toMatch(/\(2 times\)$/);
  });
});

describe('docx reader: hyperlink tooltip and target frame (DOCX_LINK_ATTRS_LOST)', () => {
  function withHyperlinkAttr(attr: string): Uint8Array {
    const files = unzipSync(
      writeDocx(doc(para(text('top', [{ type: 'link', attrs: { href: '#top' } }])))).bytes,
    );
    const xml = strFromU8(files['word/document.xml'] as Uint8Array);
    expect(xml).toContain('<w:hyperlink w:anchor="top">');
    files['word/document.xml'] = strToU8(xml.replace('<w:hyperlink ', `<w:hyperlink ${attr} `));
    return zipSync(files);
  }

  it.each([['w:tooltip="Go to the top"'], ['w:tgtFrame="_self"']])('warns when reading %s', (attr) => {
    const read = readDocx(withHyperlinkAttr(attr));
    expect(codes(read)).toContain('DOCX_LINK_ATTRS_LOST');
    expect(firstLinkAttrs(read.doc)?.href).toBe('#top');
  });

  it('does not warn for a plain hyperlink', () => {
    expect(codes(readDocx(withHyperlinkAttr('w:history="1"')))).not.toContain('DOCX_LINK_ATTRS_LOST');
  });
});

describe('docx writer: code block language (DOCX_CODE_LANGUAGE_LOST)', () => {
  const code = (language: string | null): JSONContent => ({
    type: 'codeBlock',
    attrs: { language },
    content: [text('let x = 1;')],
  });

  it('warns for a code block with a language, which reads back without it', () => {
    const written = writeDocx(doc(code('ts')));
    expect(codes(written)).toContain('DOCX_CODE_LANGUAGE_LOST');
    const back = readDocx(written.bytes).doc.content?.[0];
    expect(back?.type).toBe('codeBlock');
    expect(back?.attrs?.language).toBeNull();
  });

  it('does not warn without a language', () => {
    expect(codes(writeDocx(doc(code(null))))).not.toContain('DOCX_CODE_LANGUAGE_LOST');
  });
});

describe('docx writer: table cell alignment (DOCX_CELL_ALIGN_LOST)', () => {
  const table = (align: string | null): JSONContent => ({
    type: 'table',
    content: [
      { type: 'tableRow', content: [{ type: 'tableCell', attrs: { align }, content: [para(text('x'))] }] },
    ],
  });

  it('warns for an aligned cell, which reads back unaligned', () => {
    const written = writeDocx(doc(table('center')));
    expect(codes(written)).toContain('DOCX_CELL_ALIGN_LOST');
    const cell = readDocx(written.bytes).doc.content?.[0]?.content?.[0]?.content?.[0];
    expect(cell?.type).toBe('tableCell');
    expect(cell?.attrs?.align).toBeNull();
  });

  it('does not warn for an unaligned cell', () => {
    expect(codes(writeDocx(doc(table(null))))).not.toContain('DOCX_CELL_ALIGN_LOST');
  });
});

describe('docx writer: a heading or subtitle inside a quote (DOCX_QUOTE_FLATTENED)', () => {
  const quote = (...content: JSONContent[]): JSONContent => ({ type: 'blockquote', content });

  it.each([
    ['heading', { type: 'heading', attrs: { level: 2 }, content: [text('H')] }],
    ['title', { type: 'heading', attrs: { level: 1, blockStyle: 'title' }, content: [text('T')] }],
    ['subtitle', { type: 'paragraph', attrs: { blockStyle: 'subtitle' }, content: [text('S')] }],
  ])('warns for a %s in a quote, which reads back outside the quote', (_name, node) => {
    const written = writeDocx(doc(quote(para(text('q')), node as JSONContent)));
    expect(codes(written)).toContain('DOCX_QUOTE_FLATTENED');
    const back = readDocx(written.bytes).doc.content ?? [];
    expect(back.map((b) => b.type)).toEqual(['blockquote', (node as JSONContent).type]);
  });

  it('does not warn for paragraphs in a quote', () => {
    const written = writeDocx(doc(quote(para(text('a')), para(text('b')))));
    expect(codes(written)).not.toContain('DOCX_QUOTE_FLATTENED');
    expect(readDocx(written.bytes).doc.content?.map((b) => b.type)).toEqual(['blockquote']);
  });
});
