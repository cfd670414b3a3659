import type { JSONContent } from '@tiptap/core';
import { diffArrays } from 'diff';
import { pairBySimilarity } from '../../connectors/model/pairBySimilarity.ts';

/**
 * The unit the add-in mirrors between Word and the shared document: one paragraph. Word shows a body as a
 * flat list of paragraphs; the shared document is a tree of blocks. Top-level paragraphs and headings are
 * live units (text and style, both ways). Everything else (list items, images, atoms such as fields or
 * equations, a paragraph holding an inline atom) is a locked unit: it keeps its place in the alignment so
 * the two lists stay in step, but the add-in never writes it to Word nor takes Word's version of it: Word
 * keeps its own (a field stays a field) and the next file-mode save carries it (docs/word-addin.md).
 * Paragraphs inside Word tables are left out on the Word side, tables on the document side.
 */
export interface Unit {
  /** Word's built-in style: `Normal`, `Heading1`..`Heading6`, `Title`, `Subtitle`, or another for locked units. */
  style: string;
  text: string;
  locked: boolean;
  /** Word's `uniqueLocalId` (WordApi 1.6): the same paragraph for as long as the add-in session lasts. */
  id?: string;
}

/** One paragraph as the add-in reads it from Word. */
export interface WordParagraphInfo {
  text: string;
  styleBuiltIn: string;
  tableNestingLevel: number;
  isListItem: boolean;
  uniqueLocalId?: string;
}

const liveStyles = new Set([
  'Normal',
  'Heading1',
  'Heading2',
  'Heading3',
  'Heading4',
  'Heading5',
  'Heading6',
  'Title',
  'Subtitle',
]);

/**
 * Units of Word paragraphs, with the index in Word of each (table paragraphs are skipped); `withIds` when
 * `uniqueLocalId` was loaded (reading it otherwise throws, as any property not loaded does).
 */
export function unitsFromWord(
  paragraphs: WordParagraphInfo[],
  withIds = false,
): { units: Unit[]; wordIndex: number[] } {
  const units: Unit[] = [];
  const wordIndex: number[] = [];
  paragraphs.forEach((p, index) => {
    if (p.tableNestingLevel > 0) return;
    units.push({
      style: p.styleBuiltIn,
      text: p.text,
      locked: p.isListItem || !liveStyles.has(p.styleBuiltIn),
      ...(withIds ? { id: p.uniqueLocalId } : {}),
    });
    wordIndex.push(index);
  });
  return { units, wordIndex };
}

/** The Word style of a paragraph or heading block. */
export function styleOfBlock(block: JSONContent): string {
  const blockStyle = block.attrs?.blockStyle;
  if (blockStyle === 'title') return 'Title';
  if (blockStyle === 'subtitle') return 'Subtitle';
  if (block.type === 'heading') return `Heading${Math.min(6, Math.max(1, Number(block.attrs?.level ?? 1)))}`;
  return 'Normal';
}

/** The block attributes a Word style stands for (the inverse of `styleOfBlock`). */
export function blockForStyle(style: string): {
  type: 'paragraph' | 'heading';
  attrs: Record<string, unknown>;
} {
  const heading = /^Heading([1-6])$/.exec(style);
  if (heading) return { type: 'heading', attrs: { level: Number(heading[1]), blockStyle: null } };
  const blockStyle = style === 'Title' ? 'title' : style === 'Subtitle' ? 'subtitle' : null;
  return { type: 'paragraph', attrs: { blockStyle } };
}

/** The text of inline content, or null when it holds anything but text and hard breaks (Word: `\v`). */
export function plainText(content: JSONContent[] | undefined): string | null {
  let text = '';
  for (const node of content ?? []) {
    if (node.type === 'text') text += node.text ?? '';
    else if (node.type === 'hardBreak') text += '\v';
    else return null;
  }
  return text;
}

/** Units of the shared document's top-level blocks, with the block index of each (tables are skipped). */
export function unitsFromDoc(doc: JSONContent): { units: Unit[]; blockIndex: number[] } {
  const units: Unit[] = [];
  const blockIndex: number[] = [];
  const add = (unit: Unit, index: number) => {
    units.push(unit);
    blockIndex.push(index);
  };
  (doc.content ?? []).forEach((block, index) => {
    if (block.type === 'paragraph' || block.type === 'heading') {
      const text = plainText(block.content);
      add({ style: styleOfBlock(block), text: text ?? '', locked: text === null }, index);
    } else if (block.type === 'bulletList' || block.type === 'orderedList') {
      for (const _item of listParagraphs(block))
        add({ style: 'ListParagraph', text: '', locked: true }, index);
    } else if (block.type !== 'table') {
      add({ style: block.type ?? 'block', text: '', locked: true }, index);
    }
  });
  return { units, blockIndex };
}

function* listParagraphs(list: JSONContent): Generator<JSONContent> {
  for (const item of list.content ?? []) {
    for (const child of item.content ?? []) {
      if (child.type === 'bulletList' || child.type === 'orderedList') yield* listParagraphs(child);
      else yield child;
    }
  }
}

const keyOf = (unit: Unit) => (unit.locked ? '\u0000locked' : `${unit.style}\u0000${unit.text}`);

/** One step of an alignment from `before` to `after`: a kept unit, or a gap of removed and added units. */
export type AlignStep =
  | { kind: 'same'; before: number; after: number }
  | { kind: 'changed'; before: number; after: number }
  | { kind: 'removed'; before: number }
  | { kind: 'added'; after: number };

/**
 * Aligns two unit lists: an LCS over units (locked units match any locked unit, so they hold their places),
 * then, inside each gap, removed and added units paired by text similarity as changes of one paragraph (a
 * paragraph whose text was edited; `pairBySimilarity`), never a locked one. Pure; used both ways.
 */
export function alignUnits(before: Unit[], after: Unit[]): AlignStep[] {
  const byId = alignById(before, after);
  if (byId) return byId;
  const steps: AlignStep[] = [];
  let b = 0;
  let a = 0;
  const pieces = diffArrays(before.map(keyOf), after.map(keyOf));
  for (let k = 0; k < pieces.length; k++) {
    const piece = pieces[k]!;
    const count = piece.count ?? 0;
    if (!piece.added && !piece.removed) {
      for (let i = 0; i < count; i++) steps.push({ kind: 'same', before: b++, after: a++ });
      continue;
    }
    const next = pieces[k + 1];
    const removed = piece.removed ? count : next?.removed ? (next.count ?? 0) : 0;
    const added = piece.added ? count : next?.added ? (next.count ?? 0) : 0;
    if ((piece.removed && next?.added) || (piece.added && next?.removed)) k++;
    const pairs = pairBySimilarity(
      before.slice(b, b + removed).map((u) => u.text),
      after.slice(a, a + added).map((u) => u.text),
      (o, n) => !before[b + o]!.locked && !after[a + n]!.locked,
    );
    let o = 0;
    let n = 0;
    for (const [po, pn] of [...pairs, [removed, added] as const]) {
      for (; o < po; o++) steps.push({ kind: 'removed', before: b + o });
      for (; n < pn; n++) steps.push({ kind: 'added', after: a + n });
      if (po === removed && pn === added) break;
      steps.push({ kind: 'changed', before: b + o++, after: a + n++ });
    }
    b += removed;
    a += added;
  }
  return steps;
}

/**
 * When both lists come from Word in one session, paragraphs are matched by `uniqueLocalId`: identity, not
 * resemblance, so a paragraph split by Enter keeps its id on the first part and an empty paragraph is never
 * mistaken for another. Null when an id is missing (WordApi below 1.6, or a paragraph just written) or a
 * paragraph moved (cut and paste makes new ids anyway): then the LCS alignment is used.
 */
function alignById(before: Unit[], after: Unit[]): AlignStep[] | null {
  if (before.length === 0 || after.length === 0) return null;
  if (!before.every((u) => u.id) || !after.every((u) => u.id)) return null;
  const position = new Map(before.map((u, i) => [u.id!, i]));
  const steps: AlignStep[] = [];
  let next = 0;
  for (let a = 0; a < after.length; a++) {
    const b = position.get(after[a]!.id!);
    if (b === undefined) {
      steps.push({ kind: 'added', after: a });
      continue;
    }
    if (b < next) return null;
    for (; next < b; next++) steps.push({ kind: 'removed', before: next });
    const same = keyOf(before[b]!) === keyOf(after[a]!);
    steps.push({ kind: same ? 'same' : 'changed', before: b, after: a });
    next = b + 1;
  }
  for (; next < before.length; next++) steps.push({ kind: 'removed', before: next });
  return steps;
}

/** The one contiguous change that turns `from` into `to`: `[start, end)` of `from` replaced by `insert`. */
export function textChange(from: string, to: string): { start: number; end: number; insert: string } | null {
  if (from === to) return null;
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let tail = 0;
  while (
    tail < max - start &&
    from.charCodeAt(from.length - 1 - tail) === to.charCodeAt(to.length - 1 - tail)
  ) {
    tail++;
  }
  // Never split a surrogate pair.
  if (start > 0 && isHighSurrogate(from.charCodeAt(start - 1))) start--;
  if (tail > 0 && isLowSurrogate(from.charCodeAt(from.length - tail))) tail--;
  return { start, end: from.length - tail, insert: to.slice(start, to.length - tail) };
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
