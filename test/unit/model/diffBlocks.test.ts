import type { JSONContent } from '@tiptap/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BlockChange, blockKeys, diffBlocks } from '../../../connectors/model/diffBlocks.ts';
import { allFeatures, arbitraryDoc } from './arbitraryDoc.ts';

const p = (text: string): JSONContent => ({ type: 'paragraph', content: [{ type: 'text', text }] });
const doc = (...texts: string[]): JSONContent => ({ type: 'doc', content: texts.map(p) });

/** Rebuilds `b` from `a` and the changes: kept ranges must be equal blocks, edits take b's blocks. */
function replay(a: JSONContent, b: JSONContent, changes: BlockChange[]): string[] {
  const keysA = blockKeys(a);
  const keysB = blockKeys(b);
  const out: string[] = [];
  let posA = 0;
  let posB = 0;
  for (const change of changes) {
    expect(change.a.start).toBe(posA);
    expect(change.b.start).toBe(posB);
    if (change.op === 'keep') {
      expect(keysA.slice(change.a.start, change.a.end)).toEqual(keysB.slice(change.b.start, change.b.end));
      out.push(...keysA.slice(change.a.start, change.a.end));
    } else {
      out.push(...keysB.slice(change.b.start, change.b.end));
    }
    posA = change.a.end;
    posB = change.b.end;
  }
  expect(posA).toBe(keysA.length);
  expect(posB).toBe(keysB.length);
  return out;
}

describe('diffBlocks', () => {
  it('reports identical documents as one kept range', () => {
    const d = doc('a', 'b', 'c');
    expect(diffBlocks(d, d).changes).toEqual([
      { op: 'keep', a: { start: 0, end: 3 }, b: { start: 0, end: 3 } },
    ]);
  });

  it('finds insertions, deletions and changes', () => {
    const { changes } = diffBlocks(doc('a', 'b', 'c', 'd', 'e'), doc('a', 'x', 'b', 'c', 'E', 'e'));
    expect(changes.map((c) => c.op)).toEqual(['keep', 'insert', 'keep', 'change', 'keep']);
    expect(changes[1]).toEqual({ op: 'insert', a: { start: 1, end: 1 }, b: { start: 1, end: 2 } });
    expect(changes[3]).toEqual({ op: 'change', a: { start: 3, end: 4 }, b: { start: 4, end: 5 } });
    expect(diffBlocks(doc('a', 'b', 'c'), doc('a', 'c')).changes[1]).toEqual({
      op: 'delete',
      a: { start: 1, end: 2 },
      b: { start: 1, end: 1 },
    });
  });

  it('treats two JSON spellings of the same block as equal (defaults, key order)', () => {
    const a = {
      type: 'doc',
      content: [{ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'h' }] }],
    };
    const b = {
      type: 'doc',
      content: [
        { content: [{ text: 'h', type: 'text' }], attrs: { blockStyle: null, level: 2 }, type: 'heading' },
      ],
    };
    const result = diffBlocks(a, b);
    expect(result.changes.map((c) => c.op)).toEqual(['keep']);
    expect(result.hashesA).toEqual(result.hashesB);
    expect(result.hashesA[0]).toMatch(/^[0-9a-f]{14}$/);
  });

  it('always yields a consistent script that rebuilds the new document', () => {
    fc.assert(
      fc.property(
        arbitraryDoc(allFeatures),
        arbitraryDoc(allFeatures),
        fc.integer({ min: 0, max: 5 }),
        (a, b, mix) => {
          // Mix blocks of a into b so that there is something to keep.
          const content = [
            ...(a.content ?? []).slice(0, mix),
            ...(b.content ?? []),
            ...(a.content ?? []).slice(mix),
          ];
          const target = { type: 'doc', content };
          const { changes } = diffBlocks(a, target);
          expect(replay(a, target, changes)).toEqual(blockKeys(target));
          const kept = changes.filter((c) => c.op === 'keep').reduce((n, c) => n + c.a.end - c.a.start, 0);
          expect(kept).toBeGreaterThanOrEqual((a.content ?? []).length);
          for (let i = 1; i < changes.length; i += 1) {
            // No two edit runs or two keep runs follow each other: they are merged.
            expect(changes[i]?.op === 'keep').not.toBe(changes[i - 1]?.op === 'keep');
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is close to linear on a large document with a few edits', () => {
    const texts = Array.from({ length: 20_000 }, (_, i) => `block ${i}`);
    const edited = [...texts];
    edited.splice(15_000, 1);
    edited.splice(10_000, 0, 'new');
    edited[5_000] = 'changed';
    const { changes } = diffBlocks(doc(...texts), doc(...edited));
    expect(changes.map((c) => c.op)).toEqual(['keep', 'change', 'keep', 'insert', 'keep', 'delete', 'keep']);
  });

  it('reports wholly different documents as one change', () => {
    const { changes } = diffBlocks(doc('a', 'b'), doc('c', 'd', 'e'));
    expect(changes).toEqual([{ op: 'change', a: { start: 0, end: 2 }, b: { start: 0, end: 3 } }]);
  });
});
