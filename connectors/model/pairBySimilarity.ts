/**
 * Which removed and added items of a gap in an alignment are the same item changed: an order-preserving
 * pairing that maximises text similarity between items that may pair, so a paragraph edited while another
 * was inserted before it is still one paragraph changed, not a paragraph replaced by its neighbour. A lone
 * pair is always one item changed. Used for Yjs fragments (`fragmentUpdate.ts`) and for the Word add-in's
 * paragraph lists (`client/word-addin/wordUnits.ts`). Returns `[old, new]` index pairs in order.
 */
export function pairBySimilarity(
  olds: string[],
  news: string[],
  mayPair: (o: number, n: number) => boolean = () => true,
): [number, number][] {
  if (olds.length === 0 || news.length === 0) return [];
  if (olds.length === 1 && news.length === 1) return mayPair(0, 0) ? [[0, 0]] : [];
  const sim = (o: number, n: number) => (mayPair(o, n) ? similarity(olds[o]!, news[n]!) : -1);
  // score[o][n]: best total for olds[0..o) and news[0..n).
  const score = Array.from({ length: olds.length + 1 }, () => new Array<number>(news.length + 1).fill(0));
  for (let o = 1; o <= olds.length; o++) {
    for (let n = 1; n <= news.length; n++) {
      const s = sim(o - 1, n - 1);
      score[o]![n] = Math.max(
        score[o - 1]![n]!,
        score[o]![n - 1]!,
        s > 0.3 ? score[o - 1]![n - 1]! + s : -Infinity,
      );
    }
  }
  const pairs: [number, number][] = [];
  for (let o = olds.length, n = news.length; o > 0 && n > 0; ) {
    if (score[o]![n] === score[o - 1]![n]) o--;
    else if (score[o]![n] === score[o]![n - 1]) n--;
    else {
      pairs.unshift([o - 1, n - 1]);
      o--;
      n--;
    }
  }
  return pairs;
}

/**
 * Overlap of character bigrams (shared / the smaller count): 1 when one text contains the other, 0 for
 * nothing in common. Containment rather than Dice, so a paragraph that grew a lot is still itself. Linear.
 */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0.31;
  const bigrams = new Map<string, number>();
  for (let i = 0; i < a.length - 1; i++) {
    const g = a.slice(i, i + 2);
    bigrams.set(g, (bigrams.get(g) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < b.length - 1; i++) {
    const g = b.slice(i, i + 2);
    const left = bigrams.get(g) ?? 0;
    if (left > 0) {
      common++;
      bigrams.set(g, left - 1);
    }
  }
  return common / (Math.min(a.length, b.length) - 1);
}
