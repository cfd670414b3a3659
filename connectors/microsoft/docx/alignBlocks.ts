/**
 * Aligns the blocks of a document with the blocks it was imported from, by hash: an LCS over hashes (after
 * trimming the common prefix and suffix, so the usual one-edit case is linear). For each new block it says
 * which old block it equals (kept verbatim) or, for changed blocks, which unmatched old block sits at the same
 * place between the matches (whose properties the regenerated block reuses).
 */

/** For new block j: `keep` = index of an identical old block; `pair` = an old block to reuse properties of. */
export interface Alignment {
  keep?: number;
  pair?: number;
}

/** Largest LCS table computed (cells); beyond it the middle is treated as all changed, paired in order. */
const MAX_CELLS = 4_000_000;

/** Aligns old hashes `a` with new hashes `b`. */
export function alignBlocks(a: string[], b: string[]): Alignment[] {
  const out: Alignment[] = b.map(() => ({}));
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    (out[start] as Alignment).keep = start;
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
    (out[endB] as Alignment).keep = endA;
  }
  const n = endA - start;
  const m = endB - start;
  const matches: [number, number][] = [];
  if (n > 0 && m > 0 && n * m <= MAX_CELLS) {
    // dp[i][j] = LCS length of a[start+i..endA) and b[start+j..endB), flattened.
    const w = m + 1;
    const dp = new Uint32Array((n + 1) * w);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        dp[i * w + j] =
          a[start + i] === b[start + j]
            ? (dp[(i + 1) * w + j + 1] as number) + 1
            : Math.max(dp[(i + 1) * w + j] as number, dp[i * w + j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (a[start + i] === b[start + j]) {
        matches.push([start + i, start + j]);
        i++;
        j++;
      } else if ((dp[(i + 1) * w + j] as number) >= (dp[i * w + j + 1] as number)) i++;
      else j++;
    }
  }
  for (const [ia, jb] of matches) (out[jb] as Alignment).keep = ia;
  // Pair unmatched blocks in each gap between consecutive matches, in order.
  const anchors: [number, number][] = [[start - 1, start - 1], ...matches, [endA, endB]];
  for (let k = 0; k + 1 < anchors.length; k++) {
    const [a0, b0] = anchors[k] as [number, number];
    const [a1, b1] = anchors[k + 1] as [number, number];
    for (let d = 1; a0 + d < a1 && b0 + d < b1; d++) (out[b0 + d] as Alignment).pair = a0 + d;
  }
  return out;
}
