/**
 * fast-check generator of valid schema documents, restricted by `DocFeatures` to what a given format keeps
 * losslessly, so a round-trip property can demand exact equality. Presets: `allFeatures` (everything the
 * schema has), `markdownFeatures`, `htmlFeatures`, `odtFeatures`. Reuse it for docx and Google Docs by
 * starting from `allFeatures` and switching off what the format cannot keep.
 */
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { normalizeDoc, validateDoc } from '../../../connectors/model/schema.ts';

/** The inline marks of the schema, in the order the generator may combine them. */
export type MarkName = 'bold' | 'italic' | 'underline' | 'strike' | 'code' | 'link';

/** What the generated documents may contain. */
export interface DocFeatures {
  marks: MarkName[];
  /** Link marks carry target/rel/class/title other than the defaults. */
  linkAttrs: boolean;
  headings: boolean;
  /** `blockStyle` title/subtitle on headings and paragraphs. */
  blockStyle: boolean;
  lists: boolean;
  /** Ordered lists with a `start` other than 1. */
  listStart: boolean;
  blockquote: boolean;
  /** Blockquotes inside list items (ODF list items cannot hold sections). */
  blockquoteInList: boolean;
  codeBlock: boolean;
  codeLanguage: boolean;
  horizontalRule: boolean;
  hardBreak: boolean;
  /** A hard break as the last node of a textblock (Markdown cannot write one). */
  trailingBreak: boolean;
  /** Tables: `gfm` = header row first, one paragraph per cell, no spans (the Markdown shape). */
  tables: 'none' | 'gfm' | 'simple' | 'full';
  images: boolean;
  /** Image `title` attribute. */
  imageTitle: boolean;
  /** How atoms are generated; `none` leaves them out. */
  atoms: 'none' | 'any';
  /** Empty paragraphs and headings. */
  emptyTextblocks: boolean;
  /** Text keeps only single spaces between words (formats that collapse whitespace, like HTML and Markdown). */
  collapseWhitespace: boolean;
  /** Deepest nesting of lists/blockquotes. */
  maxDepth: number;
}

/** Everything the schema can hold. */
export const allFeatures: DocFeatures = {
  marks: ['bold', 'italic', 'underline', 'strike', 'code', 'link'],
  linkAttrs: true,
  headings: true,
  blockStyle: true,
  lists: true,
  listStart: true,
  blockquote: true,
  blockquoteInList: true,
  codeBlock: true,
  codeLanguage: true,
  horizontalRule: true,
  hardBreak: true,
  trailingBreak: true,
  tables: 'full',
  images: true,
  imageTitle: true,
  atoms: 'any',
  emptyTextblocks: true,
  collapseWhitespace: false,
  maxDepth: 3,
};

/** What CommonMark + GFM tables/strikethrough keep. */
export const markdownFeatures: DocFeatures = {
  ...allFeatures,
  marks: ['bold', 'italic', 'strike', 'code', 'link'],
  linkAttrs: false,
  blockStyle: false,
  tables: 'gfm',
  atoms: 'none',
  emptyTextblocks: false,
  trailingBreak: false,
  collapseWhitespace: false,
};

/** What our HTML writer and reader keep (whitespace collapses, as in every HTML reader). */
export const htmlFeatures: DocFeatures = { ...allFeatures, collapseWhitespace: true };

/** What ODF text keeps through our writer and reader. */
export const odtFeatures: DocFeatures = {
  ...allFeatures,
  linkAttrs: false,
  codeLanguage: false,
  blockquoteInList: false,
  atoms: 'none',
};

const wordChars = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'*_[]()<>&`#|~!-+.=:;\'"/\\{}%$@^?,',
  'é',
  'ß',
  '中',
  '😀',
  'ä',
];
const wordArb = fc.string({ unit: fc.constantFrom(...wordChars), minLength: 1, maxLength: 8 });

function textArb(features: DocFeatures): fc.Arbitrary<string> {
  if (features.collapseWhitespace) {
    return fc.array(wordArb, { minLength: 1, maxLength: 4 }).map((words) => words.join(' '));
  }
  return fc.string({ unit: fc.constantFrom(...wordChars, ' ', ' ', '\t'), minLength: 1, maxLength: 14 });
}

const urlArb = fc
  .tuple(fc.constantFrom('example.com', 'docbridge.test', 'a.b.org'), fc.stringMatching(/^[a-z0-9]{0,6}$/))
  .map(([host, path]) => `https://${host}/${path}`);

const linkAttrsArb = (features: DocFeatures) =>
  features.linkAttrs
    ? fc.record({
        href: urlArb,
        // null would be written as no attribute, which every reader takes as the default: not generated.
        target: fc.constantFrom('_blank', '_self'),
        rel: fc.constantFrom('noopener noreferrer nofollow', 'noopener'),
        class: fc.constantFrom(null, 'x'),
        title: fc.constantFrom(null, 'A title'),
      })
    : urlArb.map((href) => ({
        href,
        target: '_blank',
        rel: 'noopener noreferrer nofollow',
        class: null,
        title: null,
      }));

function marksArb(features: DocFeatures): fc.Arbitrary<JSONContent['marks']> {
  const available = features.marks;
  if (available.length === 0) return fc.constant(undefined);
  return fc.subarray(available, { maxLength: 3 }).chain((names) => {
    // The code mark excludes every other mark in the schema (Tiptap's `excludes: '_'`).
    const chosen: MarkName[] = names.includes('code') ? ['code'] : names;
    const withLink = chosen.includes('link')
      ? linkAttrsArb(features).map((attrs) => ({ attrs }))
      : fc.constant(null);
    return withLink.map((link) =>
      chosen.length === 0
        ? undefined
        : chosen.map((type) => (type === 'link' && link ? { type, attrs: link.attrs } : { type })),
    );
  });
}

const pngDataUrl =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function imageArb(features: DocFeatures): fc.Arbitrary<JSONContent> {
  return fc
    .record({
      src: fc.oneof(
        urlArb.map((u) => `${u}.png`),
        fc.constant(pngDataUrl),
      ),
      alt: fc.option(textArb({ ...features, collapseWhitespace: true }), { nil: null }),
      title: features.imageTitle ? fc.option(wordArb, { nil: null }) : fc.constant(null),
    })
    .map((attrs) => ({ type: 'image', attrs }));
}

const atomAttrsArb = fc.record({
  kind: fc.constantFrom('footnote', 'equation', 'field', 'bookmark'),
  label: wordArb,
  source: fc.constantFrom('docx', 'gdocs', 'odt'),
  payload: fc.string({ maxLength: 20 }),
});

/** Inline content of a textblock; `hardBreaks` false inside headings and GFM cells. */
function inlineArb(
  features: DocFeatures,
  hardBreaks: boolean,
  allowEmpty: boolean,
): fc.Arbitrary<JSONContent[]> {
  const items: fc.Arbitrary<JSONContent>[] = [
    fc.record({ text: textArb(features), marks: marksArb(features) }).map(({ text, marks }) => ({
      type: 'text',
      text,
      ...(marks ? { marks } : {}),
    })),
  ];
  if (features.hardBreak && hardBreaks) items.push(fc.constant({ type: 'hardBreak' }));
  if (features.images) items.push(imageArb(features));
  if (features.atoms !== 'none') items.push(atomAttrsArb.map((attrs) => ({ type: 'atomInline', attrs })));
  const weighted = items.map((arbitrary, i) => ({ arbitrary, weight: i === 0 ? 6 : 1 }));
  return fc
    .array(fc.oneof(...weighted), { minLength: allowEmpty ? 0 : 1, maxLength: 5 })
    .map((nodes) => (features.collapseWhitespace ? collapse(nodes) : nodes))
    .map((nodes) => (features.trailingBreak ? nodes : withoutTrailingBreaks(nodes)))
    .filter((nodes) => allowEmpty || nodes.some((n) => n.type !== 'hardBreak'));
}

/** Removes whitespace that a collapsing format cannot keep: doubled, at block edges, beside hard breaks. */
function collapse(nodes: JSONContent[]): JSONContent[] {
  const out: JSONContent[] = [];
  let afterSpace = true;
  for (const node of nodes) {
    if (node.type !== 'text') {
      if (node.type === 'hardBreak') trimEnd(out);
      afterSpace = node.type === 'hardBreak';
      out.push(node);
      continue;
    }
    let text = node.text ?? '';
    if (afterSpace) text = text.replace(/^ +/, '');
    if (text === '') continue;
    afterSpace = text.endsWith(' ');
    out.push({ ...node, text });
  }
  trimEnd(out);
  while (out[out.length - 1]?.type === 'hardBreak') out.pop();
  return out;
}

function withoutTrailingBreaks(nodes: JSONContent[]): JSONContent[] {
  const out = [...nodes];
  while (out[out.length - 1]?.type === 'hardBreak') out.pop();
  return out;
}

function trimEnd(out: JSONContent[]): void {
  const last = out[out.length - 1];
  if (last?.type !== 'text') return;
  const text = (last.text ?? '').replace(/ +$/, '');
  if (text === '') out.pop();
  else last.text = text;
}

function paragraphArb(features: DocFeatures, styled: boolean): fc.Arbitrary<JSONContent> {
  return fc
    .record({
      content: inlineArb(features, true, features.emptyTextblocks),
      style: styled && features.blockStyle ? fc.constantFrom(null, null, 'subtitle') : fc.constant(null),
    })
    .map(({ content, style }) => ({
      type: 'paragraph',
      ...(style ? { attrs: { blockStyle: style } } : {}),
      ...(content.length ? { content } : {}),
    }));
}

function headingArb(features: DocFeatures): fc.Arbitrary<JSONContent> {
  return fc
    .record({
      level: fc.integer({ min: 1, max: 6 }),
      content: inlineArb(features, false, features.emptyTextblocks),
      title: features.blockStyle ? fc.boolean() : fc.constant(false),
    })
    .map(({ level, content, title }) => ({
      type: 'heading',
      attrs: title ? { level: 1, blockStyle: 'title' } : { level },
      ...(content.length ? { content } : {}),
    }));
}

function codeBlockArb(features: DocFeatures): fc.Arbitrary<JSONContent> {
  const line = fc.string({ unit: fc.constantFrom(...wordChars, ' '), maxLength: 12 });
  return fc
    .record({
      lines: fc.array(line, { minLength: 1, maxLength: 3 }),
      language: features.codeLanguage
        ? fc.option(fc.stringMatching(/^[a-z]{1,6}$/), { nil: null })
        : fc.constant(null),
    })
    .map(({ lines, language }) => {
      const text = lines.join('\n').replace(/^\n+|\n+$/g, '');
      return {
        type: 'codeBlock',
        attrs: { language },
        ...(text ? { content: [{ type: 'text', text }] } : {}),
      };
    });
}

function tableArb(features: DocFeatures): fc.Arbitrary<JSONContent> {
  const gfm = features.tables === 'gfm';
  const cellContent = gfm
    ? // GFM trims the whitespace around cell content, so cells get collapsed whitespace.
      inlineArb({ ...features, collapseWhitespace: true }, false, true).map((content) => [
        { type: 'paragraph', ...(content.length ? { content } : {}) },
      ])
    : fc.array(paragraphArb(features, false), { minLength: 1, maxLength: 2 });
  return fc
    .record({
      cols: fc.integer({ min: 1, max: 3 }),
      rows: fc.integer({ min: 1, max: 3 }),
      headerRow: gfm ? fc.constant(true) : fc.boolean(),
      // 'full' tables may carry column widths, the same for every cell of a column (as editors keep them).
      widths:
        features.tables === 'full'
          ? fc.option(fc.array(fc.integer({ min: 30, max: 400 }), { minLength: 3, maxLength: 3 }), {
              nil: null,
            })
          : fc.constant(null),
    })
    .chain(({ cols, rows, headerRow, widths }) =>
      fc
        .array(fc.array(cellContent, { minLength: cols, maxLength: cols }), {
          minLength: rows,
          maxLength: rows,
        })
        .map((cells) => ({
          type: 'table',
          content: cells.map((row, r) => ({
            type: 'tableRow',
            content: row.map((content, c) => ({
              type: r === 0 && headerRow ? 'tableHeader' : 'tableCell',
              ...(widths ? { attrs: { colwidth: [widths[c]] } } : {}),
              content,
            })),
          })),
        })),
    );
}

/** Top-level (and nested) blocks, `depth` limiting lists and blockquotes. */
function blockArb(features: DocFeatures, depth: number, inList = false): fc.Arbitrary<JSONContent> {
  const options: fc.Arbitrary<JSONContent>[] = [paragraphArb(features, depth === 0)];
  if (features.headings) options.push(headingArb(features));
  if (features.codeBlock) options.push(codeBlockArb(features));
  if (features.horizontalRule) options.push(fc.constant({ type: 'horizontalRule' }));
  if (features.tables !== 'none' && depth === 0) options.push(tableArb(features));
  if (features.atoms !== 'none') options.push(atomAttrsArb.map((attrs) => ({ type: 'atomBlock', attrs })));
  if (depth < features.maxDepth) {
    const inner = fc.array(blockArb(features, depth + 1, inList), { minLength: 1, maxLength: 2 });
    if (features.blockquote && (features.blockquoteInList || !inList)) {
      options.push(inner.map((content) => ({ type: 'blockquote', content })));
    }
    if (features.lists) {
      const item = fc
        .tuple(paragraphArb(features, false), fc.array(blockArb(features, depth + 1, true), { maxLength: 1 }))
        .map(([first, rest]) => ({ type: 'listItem', content: [first, ...rest] }));
      const items = fc.array(item, { minLength: 1, maxLength: 3 });
      options.push(items.map((content) => ({ type: 'bulletList', content })));
      options.push(
        fc
          .tuple(items, features.listStart ? fc.integer({ min: 0, max: 30 }) : fc.constant(1))
          .map(([content, start]) => ({ type: 'orderedList', attrs: { start, type: null }, content })),
      );
    }
  }
  return fc.oneof(...options.map((arbitrary, i) => ({ arbitrary, weight: i === 0 ? 4 : 1 })));
}

/** Valid schema documents restricted to `features` (checked with validateDoc). */
export function arbitraryDoc(features: DocFeatures = allFeatures): fc.Arbitrary<JSONContent> {
  return fc
    .array(blockArb(features, 0), { minLength: 1, maxLength: 6 })
    .map((content) => ({ type: 'doc', content }))
    .filter((doc) => {
      validateDoc(doc);
      return true;
    });
}

/** The canonical form of a document (defaults filled in, adjacent equal-mark text merged) for comparisons. */
export function canonicalDoc(doc: JSONContent): JSONContent {
  return normalizeDoc(doc);
}
