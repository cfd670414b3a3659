import { diffArrays } from 'diff';
import * as Y from 'yjs';

/**
 * What the binding needs when one side deleted a paragraph the other side changed meanwhile. A Yjs block
 * removed by one peer takes along whatever another peer typed into it, and a Word paragraph the user deleted
 * or joined takes along what others typed into it since the last pass; neither may be lost. As Google Docs
 * does with a deleted range someone typed into, the deletion wins for what both sides saw, and what was typed
 * into the deleted paragraph survives, as a paragraph of its own.
 */

/** The shared document's element for one of the shadow's (the same Yjs item), or null when it was deleted there. */
export function liveCounterpart(doc: Y.Doc, element: Y.XmlElement): Y.XmlElement | null {
  const item = element._item;
  if (!item) return null;
  const there = Y.getItem(doc.store, item.id);
  return there.deleted ? null : ((there.content as Y.ContentType).type as Y.XmlElement);
}

/** The plain text of a paragraph element: its text runs, a hard break as `\v` (as Word reports it). */
export function elementText(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) =>
      child instanceof Y.XmlText
        ? (child.toDelta() as { insert: unknown }[])
            .map((d) => (typeof d.insert === 'string' ? d.insert : ''))
            .join('')
        : child instanceof Y.XmlElement && child.nodeName === 'hardBreak'
          ? '\v'
          : '',
    )
    .join('');
}

/** What `to` has that `from` lacks: the characters a character diff finds inserted, in order. */
export function insertedText(from: string, to: string): string {
  return diffArrays(from.split(''), to.split(''))
    .filter((part) => part.added)
    .map((part) => part.value.join(''))
    .join('');
}

/**
 * Whether every character of `text` is found in `into`, in order: `text` carried over whole, with whatever
 * the user typed inside it since (a paragraph joined onto another after being typed in, or split).
 */
export function foundInOrder(text: string, into: string): boolean {
  return !diffArrays(text.split(''), into.split('')).some((part) => part.removed);
}

/**
 * Word's texts of a run of paragraphs (`texts`, what the user made of the paragraphs `sources` since the last
 * pass: edited, split, joined) with every character that came from a source deleted in the shared document
 * taken out; what the user typed, and what came from sources still there, stays. Each paragraph keeps its
 * place (a text may become empty).
 */
export function withoutDeleted(sources: { text: string; deleted: boolean }[], texts: string[]): string[] {
  const from: string[] = [];
  const gone: boolean[] = [];
  sources.forEach((source, i) => {
    if (i > 0) {
      from.push('\n');
      gone.push(false);
    }
    for (const char of source.text.split('')) {
      from.push(char);
      gone.push(source.deleted);
    }
  });
  let at = 0;
  let kept = '';
  for (const part of diffArrays(from, texts.join('\n').split(''))) {
    if (part.removed) at += part.value.length;
    else if (part.added) kept += part.value.join('');
    else {
      // A paragraph break is Word's, whatever it matched: the paragraphs keep their number.
      for (const char of part.value) {
        if (char === '\n' || !gone[at]) kept += char;
        at += 1;
      }
    }
  }
  return kept.split('\n');
}
