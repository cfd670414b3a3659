/**
 * The block-alignment routine of the model layer: aligns two sequences by key, an LCS over per-item keys
 * (items mapped to characters so the Myers text diff of `textDiff.ts` does the work in near-linear time for
 * similar sequences), then, inside each changed gap, a
 * small order-preserving pairing of items of the same class, the most similar first, so that a changed
 * paragraph is edited in place rather than deleted and re-inserted.
 */
import { DIFF_DELETE, DIFF_EQUAL, diffText } from './textDiff.ts';

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

function encoder() {
  const codes = new Map<string, string>();
  let next = 0x100;
  return (key: string): string => {
    let ch = codes.get(key);
    if (ch === undefined) {
      if (next === 0xd800) next = 0xe000;
      if (next > 0xfffd) throw new Error('too many distinct items to align');
      ch = String.fromCharCode(next++);
      codes.set(key, ch);
    }
    return ch;
  };
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
  const enc = encoder();
  const a = oldKeys.map(enc).join('');
  const b = newKeys.map(enc).join('');
  const out: AlignStep[] = [];
  let o = 0;
  let n = 0;
  let dels: number[] = [];
  let ins: number[] = [];
  const flush = () => {
    pairGap(dels, ins, oldClass, newClass, score, out);
    dels = [];
    ins = [];
  };
  for (const [op, text] of diffText(a, b)) {
    if (op === DIFF_EQUAL) {
      flush();
      for (let i = 0; i < text.length; i++) out.push({ op: 'keep', o: o++, n: n++ });
    } else if (op === DIFF_DELETE) for (let i = 0; i < text.length; i++) dels.push(o++);
    else for (let i = 0; i < text.length; i++) ins.push(n++);
  }
  flush();
  return out;
}
