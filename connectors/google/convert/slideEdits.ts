/**
 * Character diffs are ambiguous where characters repeat ("aa" -> "aaa" inserts at any of three places).
 * Text diff libraries pick one without knowing about styles; this pass slides each lone insertion or
 * deletion along such a run to where the fewest characters need a style change, so a letter typed next to
 * its twin in another style stays a single insertText.
 */
import { marksKey } from './project.ts';
import type { Marks } from './units.ts';

/** One diff step over old [oFrom, oTo) and new [nFrom, nTo); op: -1 delete, 0 equal, 1 insert. */
export interface CharEdit {
  op: -1 | 0 | 1;
  oFrom: number;
  oTo: number;
  nFrom: number;
  nTo: number;
}

/** What sliding needs to know of a character. */
export interface SlideChar {
  ch: string;
  marks: Marks | null;
}

/** True when a boundary before position k of seq falls inside a surrogate pair. */
function splitsPair(seq: SlideChar[], k: number): boolean {
  const a = seq[k - 1]?.ch.charCodeAt(0) ?? 0;
  const b = seq[k]?.ch.charCodeAt(0) ?? 0;
  return a >= 0xd800 && a <= 0xdbff && b >= 0xdc00 && b <= 0xdfff;
}

const differs = (a: Marks | null | undefined, b: Marks | null | undefined) =>
  Boolean(a && b && marksKey(a) !== marksKey(b));

/** Slides lone inserts and deletes (between equal steps) to their cheapest position, in place. */
export function slideEdits(edits: CharEdit[], oldChars: SlideChar[], newChars: SlideChar[]): void {
  for (let i = 0; i < edits.length; i++) {
    const e = edits[i]!;
    const before = edits[i - 1];
    const after = edits[i + 1];
    if (e.op === 0 || before?.op === -1 || before?.op === 1 || after?.op === -1 || after?.op === 1) continue;
    const ins = e.op === 1;
    const seq = ins ? newChars : oldChars;
    const from = ins ? e.nFrom : e.oFrom;
    const len = ins ? e.nTo - e.nFrom : e.oTo - e.oFrom;
    const lo = before ? (ins ? before.nFrom : before.oFrom) : from;
    const hi = after ? (ins ? after.nTo : after.oTo) : from + len;
    let min = 0;
    while (from + min - 1 >= lo && seq[from + min - 1]!.ch === seq[from + min - 1 + len]!.ch) min--;
    let max = 0;
    while (from + max + len < hi && seq[from + max]!.ch === seq[from + max + len]!.ch) max++;
    if (min === max) continue;
    const d = e.oFrom - e.nFrom;
    const cost = (s: number): number => {
      let c = 0;
      for (let k = from + min; k < from + max + len; k++) {
        const inside = k >= from + s && k < from + s + len;
        if (ins) {
          if (inside) {
            const inherited = oldChars[e.oFrom + s - 1]?.marks;
            c += !inherited || differs(inherited, newChars[k]!.marks) ? 1 : 0;
          } else
            c += differs(oldChars[k < from + s ? k + d : k + d - len]?.marks, newChars[k]!.marks) ? 2 : 0;
        } else if (!inside) {
          c += differs(oldChars[k]!.marks, newChars[k < from + s ? k - d : k - d - len]?.marks) ? 2 : 0;
        }
      }
      return c;
    };
    let best = 0;
    let bestCost = cost(0);
    const other = ins ? oldChars : newChars;
    const otherAt = ins ? e.oFrom : e.nFrom;
    for (let s = min; s <= max; s++) {
      if (splitsPair(seq, from + s) || splitsPair(seq, from + s + len) || splitsPair(other, otherAt + s))
        continue;
      const c = cost(s);
      if (c < bestCost) [best, bestCost] = [s, c];
    }
    if (best === 0) continue;
    const moved: CharEdit = {
      op: e.op,
      oFrom: e.oFrom + best,
      oTo: e.oTo + best,
      nFrom: e.nFrom + best,
      nTo: e.nTo + best,
    };
    const start = before ?? { oFrom: e.oFrom, nFrom: e.nFrom };
    const end = after ?? { oTo: e.oTo, nTo: e.nTo };
    const around: CharEdit[] = [
      { op: 0, oFrom: start.oFrom, oTo: moved.oFrom, nFrom: start.nFrom, nTo: moved.nFrom },
      moved,
      { op: 0, oFrom: moved.oTo, oTo: end.oTo, nFrom: moved.nTo, nTo: end.nTo },
    ];
    const replacement = around.filter((x) => x.op !== 0 || x.oTo > x.oFrom);
    const first = before ? i - 1 : i;
    const count = 1 + (before ? 1 : 0) + (after ? 1 : 0);
    edits.splice(first, count, ...replacement);
    i = first + replacement.indexOf(moved);
  }
}
