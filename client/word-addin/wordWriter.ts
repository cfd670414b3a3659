import { insertedText } from './concurrentDeletes.ts';
import type { WordParagraphProxy, WordRange, WordRangeCollection, WordRequestContext } from './wordApi.ts';
import { textChange } from './wordUnits.ts';

/** What the add-in writes into Word for one paragraph, by its index in the list it last read. */
export type WordEdit =
  | { kind: 'text'; index: number; from: string; to: string; fromStyle: string; toStyle: string }
  | { kind: 'insert'; after: number; text: string; style: string }
  | { kind: 'delete'; index: number; from: string };

/** Longest string Word's `search` takes. */
const SEARCH_LIMIT = 255;
/** Characters before an insertion point used to find it. */
const ANCHOR = 24;

/** Start offsets of the non-overlapping occurrences of `needle` in `text`, left to right (Word's search). */
function occurrences(text: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length))
    found.push(at);
  return found;
}

/** Word's search treats `^` as a special character; such needles are not searched. */
const searchable = (needle: string) =>
  needle.length > 0 && needle.length <= SEARCH_LIMIT && !needle.includes('^');

/** How one text edit is written: at an end of the paragraph, at a span found by search, or whole. */
type Placement =
  | { how: 'end' | 'start'; insert: string }
  | {
      how: 'found';
      ranges: WordRangeCollection;
      occurrence: number;
      where: 'Replace' | 'After';
      insert: string;
    }
  | { how: 'whole'; text: string };

function place(paragraph: WordParagraphProxy, from: string, to: string): Placement | null {
  const change = textChange(from, to);
  if (!change) return null;
  const { start, end, insert } = change;
  // Insertions at an end need no search; text the user typed meanwhile stays where it is.
  if (start === end && start === from.length) return { how: 'end', insert };
  if (start === end && start === 0) return { how: 'start', insert };
  // The span to replace, or for a pure insertion the text just before the insertion point.
  const needle = start === end ? from.slice(Math.max(0, start - ANCHOR), start) : from.slice(start, end);
  const occurrence = occurrences(from, needle).indexOf(start === end ? start - needle.length : start);
  if (!searchable(needle) || occurrence === -1) return { how: 'whole', text: to };
  const ranges = paragraph.search(needle, { matchCase: true }).load('items');
  return { how: 'found', ranges, occurrence, where: start === end ? 'After' : 'Replace', insert };
}

/**
 * Writes `edits` (made against `paragraphs`, the proxies of the list last read) with the smallest Word API
 * calls: a changed paragraph gets one `insertText` or `delete` on just the changed span, found with
 * `search` (so the user's caret and the formatting elsewhere in it stay put), an insertion at either end one
 * `insertText` at Start/End, and only when the span cannot be found (too long, or not placed uniquely) the
 * paragraph's text replaced whole. Nothing else in the body is touched.
 *
 * The first batch re-reads every paragraph the edits change, beside the searches: if the user typed into
 * one since it was read, nothing is written and it returns false (the caller reads again and retries), so
 * a span found by content is never a stale one and no keystroke is overwritten. With `withIds` (WordApi
 * 1.6) the new paragraphs' ids are read back, so the next pass can match paragraphs by identity. A paragraph
 * the user deleted between the two batches also gives false, with nothing written.
 */
export async function writeEdits(
  context: WordRequestContext,
  paragraphs: WordParagraphProxy[],
  edits: WordEdit[],
  withIds: boolean,
): Promise<WriteResult> {
  if (edits.length === 0) return { written: true, createdIds: [] };
  const checks: { paragraph: WordParagraphProxy; from: string }[] = [];
  const placements: {
    index: number;
    paragraph: WordParagraphProxy;
    placement: Placement | null;
    style: string | null;
  }[] = [];
  for (const edit of edits) {
    if (edit.kind === 'insert') continue;
    const paragraph = paragraphs[edit.index]!;
    checks.push({ paragraph: paragraph.load('text'), from: edit.from });
    if (edit.kind === 'text') {
      placements.push({
        index: edit.index,
        paragraph,
        placement: place(paragraph, edit.from, edit.to),
        style: edit.toStyle !== edit.fromStyle ? edit.toStyle : null,
      });
    }
  }
  if (!(await syncUnlessGone(context))) return { written: false };
  if (checks.some(({ paragraph, from }) => paragraph.text !== from)) return { written: false };

  // The user may have deleted a paragraph since: every paragraph the writes address is read first, in the
  // writing batch, so a missing one fails the batch (ItemNotFound) before anything is written.
  for (const edit of edits) paragraphs[edit.kind === 'insert' ? edit.after : edit.index]?.load('text');
  const whole = new Set<number>();
  for (const { index, paragraph, placement, style } of placements) {
    if (style) paragraph.styleBuiltIn = style;
    if (!placement) continue;
    if (placement.how === 'whole') {
      paragraph.insertText(placement.text, 'Replace');
      whole.add(index);
    } else if (placement.how === 'end') paragraph.insertText(placement.insert, 'End');
    else if (placement.how === 'start') paragraph.insertText(placement.insert, 'Start');
    else if (placement.how === 'found') {
      const range: WordRange = placement.ranges.items[placement.occurrence]!;
      if (placement.where === 'Replace' && placement.insert === '') range.delete();
      else range.insertText(placement.insert, placement.where);
    }
  }
  // Structure last, from the end backwards, so new paragraphs land in order.
  const created = new Map<WordEdit, WordParagraphProxy>();
  for (const edit of edits.filter((e) => e.kind !== 'text').reverse()) {
    if (edit.kind === 'delete') paragraphs[edit.index]!.delete();
    else if (edit.kind === 'insert') {
      const paragraph =
        edit.after < 0
          ? context.document.body.insertParagraph(edit.text, 'Start')
          : paragraphs[edit.after]!.insertParagraph(edit.text, 'After');
      paragraph.styleBuiltIn = edit.style;
      if (withIds) paragraph.load('uniqueLocalId');
      created.set(edit, paragraph);
    }
  }
  if (!(await syncUnlessGone(context))) return { written: false };
  await keepTypedMeanwhile(context, paragraphs, edits, whole);
  return {
    written: true,
    createdIds: edits.map((e) => (withIds ? created.get(e)?.uniqueLocalId : undefined)),
  };
}

/**
 * What the user typed between the checking batch and the writing one into a paragraph that was then deleted or
 * replaced whole (the writing batch read each paragraph just before writing): Word has no conditional write,
 * so it is typed back, as a paragraph of its own where the deleted one stood, or at the end of the replaced
 * one. The caller's list of Word paragraphs lacks it, so its next pass carries it like any typing.
 */
async function keepTypedMeanwhile(
  context: WordRequestContext,
  paragraphs: WordParagraphProxy[],
  edits: WordEdit[],
  whole: Set<number>,
): Promise<void> {
  const deleted = new Set(edits.flatMap((e) => (e.kind === 'delete' ? [e.index] : [])));
  let any = false;
  for (const edit of edits) {
    if (edit.kind === 'insert' || (edit.kind === 'text' && !whole.has(edit.index))) continue;
    const typed = insertedText(edit.from, paragraphs[edit.index]!.text);
    if (typed === '') continue;
    any = true;
    if (edit.kind === 'text') paragraphs[edit.index]!.insertText(typed, 'End');
    else {
      let anchor = edit.index - 1;
      while (anchor >= 0 && deleted.has(anchor)) anchor--;
      if (anchor < 0) context.document.body.insertParagraph(typed, 'Start');
      else paragraphs[anchor]!.insertParagraph(typed, 'After');
    }
  }
  // A paragraph deleted since then too takes the text with it, as the user's own deletion would have.
  if (any) await syncUnlessGone(context);
}

/** Runs the batch; false when it failed because a paragraph it addresses was deleted by the user meanwhile. */
async function syncUnlessGone(context: WordRequestContext): Promise<boolean> {
  try {
    await context.sync();
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ItemNotFound') return false;
    throw error;
  }
}

/** Whether the edits were written, and the `uniqueLocalId` of each paragraph an insert made (by edit). */
export type WriteResult = { written: false } | { written: true; createdIds: (string | undefined)[] };
