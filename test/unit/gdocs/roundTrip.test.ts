/**
 * Property tests of the Google converter through the Docs engine: write A, diff A -> B, apply, read back B
 * (as Google normalises it); importing is a fixpoint; Google-expressible documents are kept exactly; a small
 * edit is a small batch. Seeds are printed; replay one with FC_SEED=<seed>.
 */
import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  batchUpdateFromDiff,
  normalizeForGoogle,
  readGoogleDoc,
  writeGoogleDoc,
} from '../../../connectors/google/convert/index.ts';
import { normalizeDoc } from '../../../connectors/model/schema.ts';
import { applyRequests } from '../../emulators/google/engine/index.ts';
import { googleDocArb, losslessDocArb, propertySeed } from './googleArbitrary.ts';

const seed = propertySeed();
console.log(`gdocs round-trip properties: seed ${seed} (replay with FC_SEED=${seed})`);
const params = (numRuns: number) => ({ seed, numRuns });

/** Pushes `next` onto Google document `prev` through the engine; returns the new document and the batch. */
function push(prev: ReturnType<typeof writeGoogleDoc>['document'], next: JSONContent) {
  const { requests, warnings } = batchUpdateFromDiff(prev, readGoogleDoc(prev).doc, next);
  const document = requests.length > 0 ? applyRequests(prev, requests).document : prev;
  return { document, requests, warnings };
}

describe('Google converter round trips (property)', () => {
  it('writes any document so that reading it back gives its Google normalisation', () => {
    fc.assert(
      fc.property(googleDocArb, (a) => {
        const { document } = writeGoogleDoc(a);
        expect(readGoogleDoc(document).doc).toEqual(normalizeForGoogle(a).doc);
      }),
      params(300),
    );
  });

  it('turns document A into document B with batchUpdateFromDiff', () => {
    fc.assert(
      fc.property(googleDocArb, googleDocArb, (a, b) => {
        const { document } = push(writeGoogleDoc(a).document, b);
        expect(readGoogleDoc(document).doc).toEqual(normalizeForGoogle(b).doc);
      }),
      params(300),
    );
  });

  it('keeps Google-expressible documents exactly, both when created and when edited into', () => {
    fc.assert(
      fc.property(losslessDocArb, losslessDocArb, (a, b) => {
        expect(normalizeForGoogle(b).doc).toEqual(normalizeDoc(b));
        const { document } = push(writeGoogleDoc(a).document, b);
        expect(readGoogleDoc(document).doc).toEqual(normalizeDoc(b));
      }),
      params(300),
    );
  });

  it('is a fixpoint: an imported document re-imports identically and diffs to no request', () => {
    fc.assert(
      fc.property(googleDocArb, (a) => {
        const { document } = writeGoogleDoc(a);
        const imported = readGoogleDoc(document).doc;
        expect(normalizeForGoogle(imported).doc).toEqual(imported);
        expect(batchUpdateFromDiff(document, imported, imported).requests).toEqual([]);
      }),
      params(200),
    );
  });
});

/** Inserts or deletes one character in the `k`-th text node (depth-first) of `doc`. */
function editOneChar(doc: JSONContent, k: number, at: number, insert: string | null): JSONContent | null {
  const copy = structuredClone(doc);
  const nodes: JSONContent[] = [];
  const walk = (n: JSONContent) => {
    if (n.type === 'text' && !n.marks?.some((m) => m.type === 'code')) nodes.push(n);
    for (const c of n.content ?? []) walk(c);
  };
  walk(copy);
  if (nodes.length === 0) return null;
  const node = nodes[k % nodes.length]!;
  const chars = [...node.text!];
  const i = at % (chars.length + (insert ? 1 : 0));
  if (insert) chars.splice(i, 0, insert);
  else if (chars.length > 1) chars.splice(i, 1);
  else return null;
  node.text = chars.join('');
  return copy;
}

describe('Google converter: small edits make small batches (property)', () => {
  it('writes a one-character edit with at most three requests (text, and styles only where inherited wrong)', () => {
    const counts: number[] = [];
    fc.assert(
      fc.property(
        losslessDocArb,
        fc.nat(),
        fc.nat(),
        fc.option(fc.constantFrom('x', 'é', '😀'), { nil: null }),
        (a, k, at, insert) => {
          const { document } = writeGoogleDoc(a);
          const before = readGoogleDoc(document).doc;
          const edited = editOneChar(before, k, at, insert);
          if (!edited) return;
          const { document: after, requests } = push(document, edited);
          counts.push(requests.length);
          expect(requests.length).toBeLessThanOrEqual(3);
          expect(readGoogleDoc(after).doc).toEqual(normalizeDoc(edited));
        },
      ),
      params(300),
    );
    const histogram: Record<number, number> = {};
    for (const c of counts) histogram[c] = (histogram[c] ?? 0) + 1;
    console.log(
      `one-character edits: ${counts.length} batches, requests per batch ${JSON.stringify(histogram)}`,
    );
  });

  it('adds a table row with insertTableRow, never by re-creating the table', () => {
    const table = (rows: string[][]): JSONContent => ({
      type: 'table',
      content: rows.map((r) => ({
        type: 'tableRow',
        content: r.map((t) => ({
          type: 'tableCell',
          content: [{ type: 'paragraph', content: [{ type: 'text', text: t }] }],
        })),
      })),
    });
    const doc = (rows: string[][]) => ({
      type: 'doc',
      content: [{ type: 'paragraph' }, table(rows), { type: 'paragraph' }],
    });
    const { document } = writeGoogleDoc(
      doc([
        ['a', 'b'],
        ['c', 'd'],
      ]),
    );
    const next = doc([
      ['a', 'b'],
      ['x', 'y'],
      ['c', 'd'],
    ]);
    const { document: after, requests } = push(document, next);
    const kinds = requests.map((r) => Object.keys(r)[0]);
    // Text typed at the start of an empty cell gets its style set explicitly (the inherited one is unknown).
    expect(kinds.filter((k) => k !== 'updateTextStyle')).toEqual([
      'insertTableRow',
      'insertText',
      'insertText',
    ]);
    expect(readGoogleDoc(after).doc).toEqual(normalizeDoc(next));
  });
});
