/**
 * The block-alignment routine of the model layer, used by every suite and format: aligns two sequences by
 * key, an LCS over per-item keys (the Myers diff of the project's one diff library, `diff`, near-linear for
 * similar sequences), then, inside each changed gap, pairs old and new items so that a changed paragraph is
 * edited in place (Google: `align`, the most similar of the same class first) or rewritten over its original
 * (.docx and .odt: `alignBlocks`, in order).
 */
import { diffArrays } from 'diff';

/** One step of an alignment, in document order. */
export type AlignStep =
  | { op: 'keep'; o: number; n: number }
  | { op: 'modify'; o: number; n: number }
  | { op: 'del'; o: number }
  | { op: 'ins'; n: number };

const MAX_PAIRING = 400;

/**
 * The run of deletions and insertions that ends at `steps[end]`, walking back (edits are built from the end
 * of a document backwards): old indices deleted, new indices inserted, both in order, and the index of the
 * step before the run (-1 at the start).
 */
export function gapEndingAt(
  steps: readonly AlignStep[],
  end: number,
): { dels: number[]; ins: number[]; before: number } {
  const dels: number[] = [];
  const ins: number[] = [];
  let i = end;
  for (; i >= 0; i--) {
    const s = steps[i]!;
    if (s.op === 'del') dels.unshift(s.o);
    else if (s.op === 'ins') ins.unshift(s.n);
    else break;
  }
  return { dels, ins, before: i };
}

/**
 * Walks the LCS of `oldKeys` and `newKeys`: `keep` for each pair of equal items, `gap` for each run of old items
 * deleted and new items inserted between two kept ones (either list may be empty, never both). Beyond
 * `maxEdits` deletions and insertions the diff gives up and everything between the common ends is one gap.
 */
function walkAlignment(
  oldKeys: readonly string[],
  newKeys: readonly string[],
  keep: (o: number, n: number) => void,
  gap: (dels: number[], ins: number[]) => void,
  maxEdits?: number,
): void {
  let o = 0;
  let n = 0;
  let dels: number[] = [];
  let ins: number[] = [];
  const flush = () => {
    if (dels.length > 0 || ins.length > 0) gap(dels, ins);
    dels = [];
    ins = [];
  };
  const parts =
    maxEdits === undefined
      ? diffArrays([...oldKeys], [...newKeys])
      : (diffArrays([...oldKeys], [...newKeys], { maxEditLength: maxEdits }) ?? commonEnds(oldKeys, newKeys));
  for (const part of parts) {
    const count = part.value.length;
    if (part.removed) for (let i = 0; i < count; i++) dels.push(o++);
    else if (part.added) for (let i = 0; i < count; i++) ins.push(n++);
    else {
      flush();
      for (let i = 0; i < count; i++) keep(o++, n++);
    }
  }
  flush();
}

/** The diff that keeps only the common prefix and suffix, everything between them changed. */
function commonEnds(a: readonly string[], b: readonly string[]) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const part = (value: string[], added: boolean, removed: boolean) => ({ value, added, removed });
  return [
    part(a.slice(0, start), false, false),
    part(a.slice(start, endA), false, true),
    part(b.slice(start, endB), true, false),
    part(a.slice(endA), false, false),
  ];
}

/** How much it is worth editing old item `o` into new item `n` (both of the same class); > 0. */
export type PairScore = (o: number, n: number) => number;

function pairGap(
  dels: number[],
  ins: number[],
  oldClass: string[],
  newClass: string[],
  score: PairScore,
  out: AlignStep[],
): void {
  if (dels.length === 0 || ins.length === 0 || dels.length * ins.length > MAX_PAIRING * MAX_PAIRING) {
    for (const o of dels) out.push({ op: 'del', o });
    for (const n of ins) out.push({ op: 'ins', n });
    return;
  }
  // Maximum-weight order-preserving pairing (a weighted LCS): similar items pair first.
  const D = dels.length;
  const I = ins.length;
  const best: number[][] = Array.from({ length: D + 1 }, () => new Array<number>(I + 1).fill(0));
  const pair = (a: number, b: number) =>
    oldClass[dels[a]!] === newClass[ins[b]!] ? score(dels[a]!, ins[b]!) : Number.NEGATIVE_INFINITY;
  for (let a = D - 1; a >= 0; a--) {
    for (let b = I - 1; b >= 0; b--) {
      best[a]![b] = Math.max(best[a + 1]![b]!, best[a]![b + 1]!, pair(a, b) + best[a + 1]![b + 1]!);
    }
  }
  let a = 0;
  let b = 0;
  while (a < D || b < I) {
    if (a < D && b < I && best[a]![b] === pair(a, b) + best[a + 1]![b + 1]!) {
      out.push({ op: 'modify', o: dels[a]!, n: ins[b]! });
      a++;
      b++;
    } else if (a < D && (b >= I || best[a]![b] === best[a + 1]![b])) out.push({ op: 'del', o: dels[a++]! });
    else out.push({ op: 'ins', n: ins[b++]! });
  }
}

/**
 * Aligns old and new items given their keys (equal key = unchanged) and pairing classes (items of the same
 * class in a changed gap are paired as modifications).
 */
export function align(
  oldKeys: string[],
  newKeys: string[],
  oldClass: string[],
  newClass: string[],
  score: PairScore = () => 1,
): AlignStep[] {
  const out: AlignStep[] = [];
  walkAlignment(
    oldKeys,
    newKeys,
    (o, n) => out.push({ op: 'keep', o, n }),
    (dels, ins) => pairGap(dels, ins, oldClass, newClass, score, out),
  );
  return out;
}

/** For new item j of `alignBlocks`: `keep` = an identical old item; `pair` = an old item to write over. */
export interface BlockAlignment {
  keep?: number;
  pair?: number;
}

/**
 * Most deletions and insertions `alignBlocks` looks for an LCS through (Myers is quadratic in them: about 0.4 s
 * at this bound on a busy machine); beyond, everything between the common ends is changed and paired in order.
 */
const MAX_BLOCK_EDITS = 1000;

/**
 * Aligns the blocks of a document with the blocks of the package it was imported from, by hash: for each new
 * block, which old block it equals (kept byte for byte) or, for a changed block, which unmatched old block sits
 * at the same place between the matches (whose properties the regenerated block reuses), paired in order.
 */
export function alignBlocks(oldHashes: readonly string[], newHashes: readonly string[]): BlockAlignment[] {
  const out: BlockAlignment[] = newHashes.map(() => ({}));
  walkAlignment(
    oldHashes,
    newHashes,
    (o, n) => {
      out[n]!.keep = o;
    },
    (dels, ins) => {
      for (let d = 0; d < dels.length && d < ins.length; d++) out[ins[d]!]!.pair = dels[d]!;
    },
    MAX_BLOCK_EDITS,
  );
  return out;
}
