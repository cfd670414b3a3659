import { descendants, parseXml } from '../../connectors/microsoft/docx/xmlTree.ts';

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

/**
 * True when [from, to) of `xml` (a WordprocessingML part) lies inside one `<w:p>` element, the paragraphs of
 * text boxes (nested inside another paragraph) included.
 */
export function insideOneParagraph(xml: string, from: number, to: number): boolean {
  const { root } = parseXml(xml, 'document.xml');
  return descendants(root, 'w:p').some((p) => p.start <= from && to <= p.end);
}
