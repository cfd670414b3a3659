/**
 * Random schema documents survive writeDocx (brand-new package) then readDocx. The generator is the model's
 * `arbitraryDoc`, restricted to what docx keeps (docs/fidelity.md): link attributes other than href, code block
 * languages and atoms from other formats are not kept; lists are generated on their own, without the headings,
 * code blocks and rules that a Word list item cannot hold; image sizes are filled in from the image when absent,
 * so they are compared without width/height.
 */
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readDocx, writeDocx } from '../../../connectors/microsoft/docx/index.ts';
import { normalizeDoc } from '../../../connectors/model/schema.ts';
import { allFeatures, arbitraryDoc, type DocFeatures } from '../model/arbitraryDoc.ts';

const docxBlocks: DocFeatures = {
  ...allFeatures,
  linkAttrs: false,
  codeLanguage: false,
  atoms: 'none',
  lists: false,
  blockquote: false,
};

const docxLists: DocFeatures = {
  ...docxBlocks,
  headings: false,
  codeBlock: false,
  horizontalRule: false,
  tables: 'none',
  lists: true,
};

function withoutImageSize(doc: JSONContent): JSONContent {
  return JSON.parse(JSON.stringify(doc), (key, value) =>
    key === 'width' || key === 'height' ? null : value,
  );
}

function roundTrips(features: DocFeatures, seed: number) {
  fc.assert(
    fc.property(arbitraryDoc(features), (doc) => {
      const back = readDocx(writeDocx(doc).bytes).doc;
      expect(withoutImageSize(back)).toEqual(withoutImageSize(normalizeDoc(doc)));
    }),
    { numRuns: 60, seed },
  );
}

describe('docx property: new package round trip', () => {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);
  it(`keeps paragraphs, headings, marks, code, rules, tables and images (seed ${seed})`, () => {
    roundTrips(docxBlocks, seed);
  });
  it(`keeps nested bulleted and numbered lists with start numbers (seed ${seed})`, () => {
    roundTrips(docxLists, seed);
  });
});
