/**
 * Caret colours: dark enough for white label text to meet WCAG AA contrast (at least 4.5:1), distinct from
 * each other, taken from the GOV.UK Design System palette.
 */
const accessible = ['#1d70b8', '#00703c', '#b1250b', '#4c2c92', '#912b88', '#6f5120', '#0e6b63', '#a0440d'];

/** A stable colour for a user id, so the same person keeps the same caret colour across sessions. */
export function userColour(id: string): string {
  let hash = 0;
  for (const char of id) hash = (hash * 31 + char.codePointAt(0)!) >>> 0;
  return accessible[hash % accessible.length]!;
}
