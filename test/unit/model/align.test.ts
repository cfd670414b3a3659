import { describe, expect, it } from 'vitest';
import { align, alignBlocks } from '../../../connectors/model/align.ts';

describe('alignBlocks (writing over an original package)', () => {
  it('keeps identical blocks and pairs a changed block with the old one at its place', () => {
    expect(alignBlocks(['a', 'b', 'c'], ['a', 'B', 'c'])).toEqual([{ keep: 0 }, { pair: 1 }, { keep: 2 }]);
  });

  it('follows moved, inserted and deleted blocks', () => {
    expect(alignBlocks(['a', 'b', 'c', 'd'], ['x', 'a', 'c', 'd', 'y'])).toEqual([
      {},
      { keep: 0 },
      { keep: 2 },
      { keep: 3 },
      {},
    ]);
    // A gap with two old and three new blocks: pairs in order, the extra one is new.
    expect(alignBlocks(['a', 'p', 'q', 'z'], ['a', 'P', 'Q', 'R', 'z'])).toEqual([
      { keep: 0 },
      { pair: 1 },
      { pair: 2 },
      {},
      { keep: 3 },
    ]);
  });

  it('keeps every unchanged block between edits far apart in a long document', () => {
    const old = Array.from({ length: 10_000 }, (_, i) => `h${i}`);
    const edited = old.map((hash, i) => (i === 10 || i === 9990 ? `edited${i}` : hash));
    const result = alignBlocks(old, edited);
    expect(result[10]).toEqual({ pair: 10 });
    expect(result[9990]).toEqual({ pair: 9990 });
    expect(result.filter((step) => step.keep !== undefined)).toHaveLength(9998);
  });

  it('aligns documents with more distinct blocks than fit in one UTF-16 alphabet', () => {
    const old = Array.from({ length: 70_000 }, (_, i) => `h${i}`);
    const edited = old.map((hash, i) => (i === 35_000 ? 'changed' : hash));
    const result = alignBlocks(old, edited);
    expect(result[35_000]).toEqual({ pair: 35_000 });
    expect(result.filter((step) => step.keep !== undefined)).toHaveLength(69_999);
  });

  it('treats a rewrite beyond the edit limit as one changed middle, keeping the common ends', () => {
    const old = Array.from({ length: 6000 }, (_, i) => `o${i}`);
    const rewritten = ['o0', ...Array.from({ length: 5998 }, (_, i) => `n${i}`), 'o5999'];
    const result = alignBlocks(old, rewritten);
    expect(result[0]).toEqual({ keep: 0 });
    expect(result[5999]).toEqual({ keep: 5999 });
    expect(result[1]).toEqual({ pair: 1 });
    expect(result[5998]).toEqual({ pair: 5998 });
  });
});

describe('align (editing in place)', () => {
  it('pairs changed items of the same class, the most similar first', () => {
    const steps = align(['a', 'b', 'c'], ['a', 'x', 'c'], ['p', 'p', 'p'], ['p', 'p', 'p']);
    expect(steps).toEqual([
      { op: 'keep', o: 0, n: 0 },
      { op: 'modify', o: 1, n: 1 },
      { op: 'keep', o: 2, n: 2 },
    ]);
    const classes = align(['a', 't'], ['a', 'x'], ['p', 'table'], ['p', 'p']);
    expect(classes).toEqual([
      { op: 'keep', o: 0, n: 0 },
      { op: 'del', o: 1 },
      { op: 'ins', n: 1 },
    ]);
  });
});
