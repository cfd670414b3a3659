/** A `<w:p>` element of document.xml (self-closing or not; paragraphs do not nest). */
const PARAGRAPH = /<w:p(?=[\s>/])[^>]*?(?:\/>|>[\s\S]*?<\/w:p>)/g;

/**
 * The changed region of two versions of a part: [start, end in `before`, end in `after`). Used to check that
 * an edit rewrote only the XML it had to.
 */
export function changedRegion(before: string, after: string): [number, number, number] {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let tail = 0;
  while (
    tail < before.length - start &&
    tail < after.length - start &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  return [start, before.length - tail, after.length - tail];
}

/** True when [from, to) of `xml` lies inside one `<w:p>` element. */
export function insideOneParagraph(xml: string, from: number, to: number): boolean {
  return [...xml.matchAll(PARAGRAPH)].some((m) => m.index <= from && to <= m.index + m[0].length);
}
