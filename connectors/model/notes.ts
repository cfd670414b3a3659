/**
 * How notes are numbered for readers: footnotes 1, 2, 3 and endnotes i, ii, iii, each in document order, as
 * Word, LibreOffice and Google Docs number them by default. Used where a format writes the marker as text
 * (plain text, Markdown labels) and by tests that compare with LibreOffice's text export. Also the canonical
 * form of a note's content, which readers hash so their writer can tell an edited note from an unedited one.
 */
import type { JSONContent } from '@tiptap/core';
import { schema } from './schema.ts';

/** The canonical JSON of a note's content (marks ordered, adjacent text merged), as writers will see it. */
export function canonicalNoteContent(kind: string, content: JSONContent[]): JSONContent[] {
  return (schema.nodeFromJSON({ type: 'note', attrs: { kind }, content }).toJSON().content ??
    []) as JSONContent[];
}

/** A note's content as plain inline nodes: text and hard breaks only, other nodes as their label text. */
export function plainNoteContent(nodes: JSONContent[], onLoss: () => void): JSONContent[] {
  const out: JSONContent[] = [];
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'hardBreak') out.push(node);
    else {
      onLoss();
      const label = node.type === 'atomInline' ? String(node.attrs?.label ?? '') : '';
      if (label) out.push({ type: 'text', text: label });
    }
  }
  return out;
}

/** Lower-case roman numeral of `n` (1 -> i). */
export function roman(n: number): string {
  const table: [number, string][] = [
    [1000, 'm'],
    [900, 'cm'],
    [500, 'd'],
    [400, 'cd'],
    [100, 'c'],
    [90, 'xc'],
    [50, 'l'],
    [40, 'xl'],
    [10, 'x'],
    [9, 'ix'],
    [5, 'v'],
    [4, 'iv'],
    [1, 'i'],
  ];
  let out = '';
  let rest = n;
  for (const [value, numeral] of table) {
    while (rest >= value) {
      out += numeral;
      rest -= value;
    }
  }
  return out;
}

/** Numbers notes as they are met: `next('footnote')` gives '1', '2'...; `next('endnote')` 'i', 'ii'... */
export class NoteCounter {
  private footnotes = 0;
  private endnotes = 0;

  /** The marker of the next note of `kind`. */
  next(kind: unknown): string {
    return kind === 'endnote' ? roman(++this.endnotes) : String(++this.footnotes);
  }
}
