import type { JSONContent } from '@tiptap/core';
import { describe, expect, it } from 'vitest';
import { readMarkdown, writeMarkdown } from '../../../connectors/formats/markdown.ts';
import { readOdt, writeOdt } from '../../../connectors/formats/odt.ts';
import { schema } from '../../../connectors/model/schema.ts';

const codes = (warnings: { code: string }[]) => warnings.map((w) => w.code);
const doc = (...content: JSONContent[]): JSONContent => ({ type: 'doc', content });
const paragraph = (...content: JSONContent[]): JSONContent => ({ type: 'paragraph', content });
const linked = (attrs: Record<string, unknown>): JSONContent =>
  paragraph({
    type: 'text',
    text: 'a',
    marks: [{ type: 'link', attrs: { href: 'https://a.b/', ...attrs } }],
  });
const image = (attrs: Record<string, unknown>): JSONContent =>
  paragraph({ type: 'image', attrs: { src: 'https://a.b/i.png', ...attrs } });
/** A 2 x 3 px PNG, so an embedded picture has a size of its own that differs from the 96 px default. */
const PNG_2X3 =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAIAAAADCAYAAAC56t6BAAAAC0lEQVR4nGNgwAkAABsAAco8Sg0AAAAASUVORK5CYII=';

/** The link attributes a link gets when none are given: the schema's defaults, which no format loses. */
const linkDefaults = schema.marks.link?.create({ href: 'https://a.b/' }).attrs ?? {};

describe('Markdown loss warnings', () => {
  it.each([
    ['target', { target: '_self' }],
    ['target unset', { target: null }],
    ['rel', { rel: 'nofollow' }],
    ['class', { class: 'button' }],
  ])('warns MD_LINK_ATTRS_LOST for a link %s that does not read back', (_name, attrs) => {
    const source = doc(linked(attrs));
    const { text, warnings } = writeMarkdown(source);
    expect(codes(warnings)).toEqual(['MD_LINK_ATTRS_LOST']);
    const mark = readMarkdown(text).doc.content?.[0]?.content?.[0]?.marks?.[0];
    expect(mark?.attrs).not.toMatchObject(attrs);
  });

  it('does not warn for a link with the schema default target, rel and class (or a title)', () => {
    const { target, rel } = linkDefaults;
    for (const source of [doc(linked({ title: 't' })), doc(linked({ target, rel, class: null }))]) {
      const { text, warnings } = writeMarkdown(source);
      expect(codes(warnings)).toEqual([]);
      expect(readMarkdown(text).doc).toEqual(writeBackCanonical(source));
    }
  });

  it('warns MD_IMAGE_SIZE_LOST for an image with a display size, and not without one', () => {
    for (const size of [{ width: 200 }, { height: 50 }, { width: 200, height: 50 }]) {
      const { text, warnings } = writeMarkdown(doc(image(size)));
      expect(codes(warnings)).toEqual(['MD_IMAGE_SIZE_LOST']);
      expect(readMarkdown(text).doc.content?.[0]?.content?.[0]?.attrs).toMatchObject({
        width: null,
        height: null,
      });
    }
    expect(codes(writeMarkdown(doc(image({}))).warnings)).toEqual([]);
  });

  it('warns MD_EMPTY_PARAGRAPH_LOST for an empty paragraph that does not read back, and only then', () => {
    const empty: JSONContent = { type: 'paragraph' };
    const item = (...content: JSONContent[]): JSONContent => ({
      type: 'bulletList',
      content: [{ type: 'listItem', content }],
    });
    const lossy = [
      doc(paragraph({ type: 'text', text: 'a' }), empty),
      doc(empty, paragraph({ type: 'text', text: 'a' })),
      doc(item(paragraph({ type: 'text', text: 'a' }), empty)),
      doc({ type: 'blockquote', content: [paragraph({ type: 'text', text: 'a' }), empty] }),
    ];
    for (const source of lossy) {
      const { text, warnings } = writeMarkdown(source);
      expect(codes(warnings)).toEqual(['MD_EMPTY_PARAGRAPH_LOST']);
      expect(readMarkdown(text).doc).not.toEqual(writeBackCanonical(source));
    }
    const kept = [doc(empty), doc(item(empty)), doc(item(empty, { type: 'codeBlock' }))];
    for (const source of kept) {
      const { text, warnings } = writeMarkdown(source);
      expect(codes(warnings)).toEqual([]);
      expect(readMarkdown(text).doc).toEqual(writeBackCanonical(source));
    }
    expect(codes(writeMarkdown(doc(paragraph({ type: 'text', text: 'a' }))).warnings)).toEqual([]);
  });
});

describe('ODT loss warnings', () => {
  const roundTrip = (source: JSONContent) => readOdt(writeOdt(source).bytes);

  it('warns ODT_IMAGE_SIZE_LOST on read for an image written with a display size', () => {
    for (const attrs of [{ width: 200 }, { height: 50 }, { src: PNG_2X3, width: 20, height: 30 }]) {
      const written = writeOdt(doc(image(attrs)));
      expect(codes(written.warnings)).not.toContain('ODT_IMAGE_SIZE_LOST');
      const read = readOdt(written.bytes);
      expect(codes(read.warnings)).toEqual(['ODT_IMAGE_SIZE_LOST']);
      expect(read.doc.content?.[0]?.content?.[0]?.attrs).toMatchObject({ width: null, height: null });
    }
  });

  it('does not warn for an image without a display size or at its own size', () => {
    for (const attrs of [{}, { src: PNG_2X3 }, { src: PNG_2X3, width: 2, height: 3 }, { width: 96 }]) {
      expect(codes(roundTrip(doc(image(attrs))).warnings)).toEqual([]);
    }
  });
});

/** What `source` is in canonical form, to compare a read-back with. */
function writeBackCanonical(source: JSONContent): JSONContent {
  return schema.nodeFromJSON(source).toJSON() as JSONContent;
}
