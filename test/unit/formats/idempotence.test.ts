/**
 * Lossy conversions still converge: for any schema document x (every feature, including what a format
 * cannot hold), y = read(write(x)) is a fixpoint: read(write(y)) equals y. The sync engine relies on this
 * to stop after one round trip instead of echoing edits forever.
 */
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readHtml, writeHtml } from '../../../connectors/formats/html.ts';
import { readMarkdown, writeMarkdown } from '../../../connectors/formats/markdown.ts';
import { readOdt, writeOdt } from '../../../connectors/formats/odt.ts';
import { allFeatures, arbitraryDoc } from '../model/arbitraryDoc.ts';

const formats: [string, (doc: JSONContent) => JSONContent, number][] = [
  ['markdown', (doc) => readMarkdown(writeMarkdown(doc).text).doc, 300],
  ['html', (doc) => readHtml(writeHtml(doc).html).doc, 100],
  ['odt', (doc) => readOdt(writeOdt(doc).bytes).doc, 200],
];

describe('round trips through a format reach a fixpoint after one pass', () => {
  for (const [name, roundTrip, numRuns] of formats) {
    it(name, () => {
      fc.assert(
        fc.property(arbitraryDoc(allFeatures), (doc) => {
          const once = roundTrip(doc);
          expect(roundTrip(once)).toEqual(once);
        }),
        { numRuns },
      );
    });
  }
});
