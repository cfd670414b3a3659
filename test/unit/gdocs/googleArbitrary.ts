/**
 * Generators for the Google Docs property tests: the model engineer's `arbitraryDoc` restricted to what the
 * Google writer can create (no data: URL images, no foreign atoms...), and a stricter generator of documents
 * Google holds losslessly, used to check that the Google normalisation never hides a real loss.
 */
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { allFeatures, arbitraryDoc, type DocFeatures } from '../model/arbitraryDoc.ts';

/** What the Google writer can create through the API (normalisations aside). */
export const googleFeatures: DocFeatures = {
  ...allFeatures,
  linkAttrs: false,
  listStart: false,
  codeLanguage: false,
  images: false,
  imageTitle: false,
  atoms: 'none',
  tables: 'simple',
  maxDepth: 2,
};

/** Random schema documents the Google writer can create. */
export const googleDocArb: fc.Arbitrary<JSONContent> = arbitraryDoc(googleFeatures);

const chars = [
  ...'abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.,;:!?-_()[]{}"\'/&%',
  'é',
  'ß',
  '中',
  '😀',
  '👍🏽',
];
const textArb = fc.string({ unit: fc.constantFrom(...chars), minLength: 1, maxLength: 12 });
const urlArb = fc.constantFrom('https://example.com/', 'https://docbridge.test/a?b=c', 'https://x.org/#frag');

const markSets: JSONContent['marks'][] = [
  [],
  [{ type: 'bold' }],
  [{ type: 'italic' }],
  [{ type: 'underline' }],
  [{ type: 'strike' }],
  [{ type: 'bold' }, { type: 'italic' }, { type: 'strike' }],
  [{ type: 'code' }],
];

const textNodeArb = fc.oneof(
  fc.record({ text: textArb, marks: fc.constantFrom(...markSets) }),
  fc.record({ text: textArb, href: urlArb, bold: fc.boolean() }).map(({ text, href, bold }) => ({
    text,
    marks: [...(bold ? [{ type: 'bold' }] : []), { type: 'link', attrs: { href } }],
  })),
);

const inlineArb = (breaks: boolean): fc.Arbitrary<JSONContent[]> =>
  fc.array(
    fc.oneof(
      {
        arbitrary: textNodeArb.map((t) =>
          t.marks && t.marks.length > 0 ? { type: 'text', ...t } : { type: 'text', text: t.text },
        ),
        weight: 5,
      },
      {
        arbitrary: fc.constant<JSONContent>(breaks ? { type: 'hardBreak' } : { type: 'text', text: '~' }),
        weight: 1,
      },
    ),
    { maxLength: 4 },
  );

const paragraphArb = inlineArb(true).map((content) => ({
  type: 'paragraph',
  ...(content.length ? { content } : {}),
}));
const headingArb = fc
  .record({ level: fc.integer({ min: 1, max: 6 }), title: fc.boolean(), content: inlineArb(false) })
  .map(({ level, title, content }) => ({
    type: 'heading',
    attrs: title ? { level: 1, blockStyle: 'title' } : { level },
    ...(content.length ? { content } : {}),
  }));
const subtitleArb = inlineArb(false).map((content) => ({
  type: 'paragraph',
  attrs: { blockStyle: 'subtitle' },
  ...(content.length ? { content } : {}),
}));

const listArb: fc.Arbitrary<JSONContent> = fc.letrec<{ list: JSONContent }>((tie) => ({
  list: fc
    .record({
      ordered: fc.boolean(),
      items: fc.array(
        fc.record({ p: paragraphArb, sub: fc.option(tie('list'), { nil: null, depthSize: 'small' }) }),
        { minLength: 1, maxLength: 3 },
      ),
    })
    .map(({ ordered, items }) => ({
      type: ordered ? 'orderedList' : 'bulletList',
      content: items.map(({ p, sub }) => ({ type: 'listItem', content: sub ? [p, sub] : [p] })),
    })),
})).list;

const codeArb = fc
  .array(fc.string({ unit: fc.constantFrom(...chars), maxLength: 10 }), { minLength: 1, maxLength: 3 })
  .map((lines) => {
    const text = lines.join('\n');
    return { type: 'codeBlock', ...(text ? { content: [{ type: 'text', text }] } : {}) };
  });
const quoteArb = fc
  .array(fc.oneof(paragraphArb, headingArb), { minLength: 1, maxLength: 2 })
  .map((content) => ({ type: 'blockquote', content }));
const tableArb = fc
  .record({
    rows: fc.integer({ min: 1, max: 3 }),
    cols: fc.integer({ min: 1, max: 3 }),
    header: fc.integer({ min: 0, max: 1 }),
  })
  .chain(({ rows, cols, header }) =>
    fc
      .array(
        fc.array(fc.array(paragraphArb, { minLength: 1, maxLength: 2 }), {
          minLength: cols,
          maxLength: cols,
        }),
        { minLength: rows, maxLength: rows },
      )
      .map((grid) => ({ grid, header })),
  )
  .map(({ grid, header }) => ({
    type: 'table',
    content: grid.map((row, r) => ({
      type: 'tableRow',
      content: row.map((content) => ({ type: r < header ? 'tableHeader' : 'tableCell', content })),
    })),
  }));

/** Documents Google Docs holds exactly: a paragraph first, one after every other block (so nothing merges). */
export const losslessDocArb: fc.Arbitrary<JSONContent> = fc
  .tuple(
    paragraphArb,
    fc.array(
      fc.tuple(
        fc.oneof(
          paragraphArb,
          headingArb,
          subtitleArb,
          listArb,
          codeArb,
          quoteArb,
          tableArb,
          fc.constant({ type: 'horizontalRule' }),
        ),
        textArb.map((text) => ({ type: 'paragraph', content: [{ type: 'text', text }] })),
      ),
      { maxLength: 5 },
    ),
  )
  .map(([first, rest]) => ({ type: 'doc', content: [first, ...rest.flat()] }));

/** The seed of this run's property tests: FC_SEED when set (to replay a failure), else random. */
export function propertySeed(): number {
  const fromEnv = Number(process.env.FC_SEED);
  return Number.isInteger(fromEnv) && process.env.FC_SEED ? fromEnv : Math.floor(Math.random() * 2 ** 31);
}
