/**
 * Test markers for concurrent-edit tests: every character of a marker belongs to that marker only (one from
 * each of three disjoint Unicode blocks), so no text diff can share a character between two markers, cut
 * one, or interleave one with another. A marker found whole is a marker kept; n < 6592.
 */
export function marker(n: number): string {
  return String.fromCharCode(0x3400 + n, 0x4e00 + n, 0xac00 + n);
}

/** True for the last character of a marker: a place where another marker may go without splitting one. */
export function isMarkerEnd(ch: string): boolean {
  return ch >= '\uac00' && ch <= '\ud7a3';
}

/** Offsets in `text` where a marker may be inserted without splitting another: the ends and after each marker. */
export function markerBoundaries(text: string): number[] {
  const out = [0, text.length];
  for (let i = 0; i < text.length; i++) if (isMarkerEnd(text[i]!)) out.push(i + 1);
  return out;
}
