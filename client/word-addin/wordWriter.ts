import { foundInOrder, insertedText, withoutDeleted } from './concurrentDeletes.ts';
import type { WordParagraphProxy, WordRangeCollection, WordRequestContext } from './wordApi.ts';
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

/** A literal search. */
const exact = { matchCase: true };

/** `text` cut into the pieces Word can search for: between its `^`s, at most `SEARCH_LIMIT` long. */
function searchPieces(text: string): string[] {
  return text.split('^').flatMap((part) => part.match(new RegExp(`[^]{1,${SEARCH_LIMIT}}`, 'g')) ?? []);
}

/** How one text edit is written: at an end of the paragraph, at a span found by search, or whole. */
type Placement =
  | { how: 'end' | 'start'; insert: string }
  | {
      how: 'found';
      ranges: WordRangeCollection;
      occurrence: number;
      where: 'Replace' | 'After';
      insert: string;
      /** The text the range holds when found (searched for again inside it when written). */
      span: string;
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
  const ranges = paragraph.search(needle, exact).load('items');
  const where = start === end ? 'After' : 'Replace';
  return { how: 'found', ranges, occurrence, where, insert, span: needle };
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
 * the user deleted between the two batches, or a span the user typed into or split there (searched for again
 * in the writing batch), also gives false, with nothing written.
 */
export async function writeEdits(
  context: WordRequestContext,
  paragraphs: WordParagraphProxy[],
  edits: WordEdit[],
  withIds: boolean,
): Promise<WriteResult> {
  if (edits.length === 0) return { written: true, createdIds: [], writes: 0 };
  const checks: { paragraph: WordParagraphProxy; from: string }[] = [];
  const placements: {
    from: string;
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
        from: edit.from,
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
  // What is overwritten is read in the same batch just before, to type back what the user typed there since.
  for (const edit of edits) paragraphs[edit.kind === 'insert' ? edit.after : edit.index]?.load('text');
  // With ids, the body as it stands just before a deletion: the user may have split the paragraph since.
  const snapshot =
    withIds && edits.some((e) => e.kind === 'delete')
      ? context.document.body.paragraphs.load('items/text,items/uniqueLocalId')
      : null;
  // Word has no conditional write, and the user may have typed into or split a paragraph since the check:
  // each span found by content is searched for again inside its range, and a paragraph written whole for
  // its checked text, before anything is written; if one is not found any more the batch fails
  // (`getFirst`: ItemNotFound) with nothing written, and the caller retries. Else a replacement could take
  // half a split span and leave the other half behind, doubled.
  const found = placements.map(({ from, paragraph, placement }) => {
    if (placement?.how === 'whole')
      for (const piece of searchPieces(from)) paragraph.search(piece, exact).getFirst();
    return placement?.how === 'found'
      ? placement.ranges.items[placement.occurrence]!.search(placement.span, exact).getFirst()
      : null;
  });
  const overwrites: Overwrite[] = [];
  placements.forEach(({ from, paragraph, placement, style }, i) => {
    if (style) paragraph.styleBuiltIn = style;
    if (placement?.how === 'whole') {
      paragraph.insertText(placement.text, 'Replace');
      overwrites.push({
        was: () => paragraph.text,
        replaced: from,
        typeBack: (typed) => paragraph.insertText(typed, 'End'),
      });
    } else if (placement?.how === 'end') paragraph.insertText(placement.insert, 'End');
    else if (placement?.how === 'start') paragraph.insertText(placement.insert, 'Start');
    else if (placement?.how === 'found') {
      const range = found[i]!;
      if (placement.where === 'After') range.insertText(placement.insert, 'After');
      else if (placement.insert === '') range.delete();
      else range.insertText(placement.insert, 'Replace');
    }
  });
  // Structure last, from the end backwards, so new paragraphs land in order.
  const created = new Map<WordEdit, WordParagraphProxy>();
  const deleted = new Set(edits.flatMap((e) => (e.kind === 'delete' ? [e.index] : [])));
  for (const edit of edits.filter((e) => e.kind !== 'text').reverse()) {
    if (edit.kind === 'delete') {
      const paragraph = paragraphs[edit.index]!;
      paragraph.delete();
      // Typed back as a paragraph of its own where the deleted one stood.
      let anchor = edit.index - 1;
      while (anchor >= 0 && deleted.has(anchor)) anchor--;
      overwrites.push({
        was: () => paragraph.text,
        replaced: edit.from,
        typeBack: (typed) =>
          anchor < 0
            ? context.document.body.insertParagraph(typed, 'Start')
            : paragraphs[anchor]!.insertParagraph(typed, 'After'),
      });
    } else if (edit.kind === 'insert') {
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
  const tails = snapshot ? splitTails(snapshot.items, paragraphs, edits) : [];
  // Every tail is read before any is written: one the user deleted since fails the batch with nothing of it
  // written, and took its text along. The writes above stand either way (saying otherwise to the caller
  // would have it take them for the user's and send them again).
  for (const tail of tails) tail.paragraph.load('text');
  for (const tail of tails) tail.paragraph.insertText(tail.kept, 'Replace');
  const tailsWritten = tails.length > 0 && (await syncUnlessGone(context)) ? tails.length : 0;
  if (tailsWritten > 0) {
    for (const tail of tails) {
      overwrites.push({
        was: () => tail.paragraph.text,
        replaced: tail.text,
        typeBack: (typed) => tail.paragraph.insertText(typed, 'End'),
      });
    }
  }
  const typedBack = await keepTypedMeanwhile(context, overwrites);
  // One call each: a text change, a style set, a deletion, a paragraph inserted (and its style), a text typed back.
  const texts = placements.filter((p) => p.placement).length + placements.filter((p) => p.style).length;
  const structure = edits.filter((e) => e.kind === 'delete').length + 2 * created.size + tailsWritten;
  return {
    written: true,
    createdIds: edits.map((e) => (withIds ? created.get(e)?.uniqueLocalId : undefined)),
    writes: texts + structure + typedBack,
  };
}

/**
 * The paragraphs the user split off, between the checking batch and the writing one, from paragraphs the
 * writes deleted (`snapshot`: the body read in the writing batch, before the deletions): each with its text
 * and that text without what came from the deleted paragraph (`withoutDeleted`), which the deletion must
 * take too. The following paragraphs count only if they are new (not in `paragraphs`), as many as it takes
 * to find the deleted paragraph's text as checked, which left it, in order across them (the user may have
 * split it more than once).
 */
function splitTails(
  snapshot: WordParagraphProxy[],
  paragraphs: WordParagraphProxy[],
  edits: WordEdit[],
): { paragraph: WordParagraphProxy; text: string; kept: string }[] {
  const known = new Set(paragraphs.map((p) => p.uniqueLocalId));
  const at = new Map(snapshot.map((p, i) => [p.uniqueLocalId, i]));
  return edits.flatMap((edit) => {
    if (edit.kind !== 'delete') return [];
    const index = at.get(paragraphs[edit.index]!.uniqueLocalId);
    const head = index === undefined ? undefined : snapshot[index];
    if (index === undefined || !head || foundInOrder(edit.from, head.text)) return [];
    const split: WordParagraphProxy[] = [];
    for (
      let next = snapshot[index + 1];
      next && !known.has(next.uniqueLocalId);
      next = snapshot[index + 1 + split.length]
    ) {
      split.push(next);
      const texts = [head, ...split].map((p) => p.text);
      if (!foundInOrder(edit.from, texts.join('\n'))) continue;
      const [, ...kept] = withoutDeleted([{ text: edit.from, deleted: true }], texts);
      return split.flatMap((paragraph, k) =>
        kept[k] === paragraph.text ? [] : [{ paragraph, text: paragraph.text, kept: kept[k]! }],
      );
    }
    return [];
  });
}

/** A span the writes replace: what it held when written (read in the writing batch), what it held when checked. */
interface Overwrite {
  was: () => string;
  replaced: string;
  typeBack: (typed: string) => unknown;
}

/**
 * What the user typed, between the checking batch and the writing one, into a paragraph that was then written
 * whole or deleted (where the search guard does not reach: between `^`s or search-sized pieces, or anywhere
 * in a deleted paragraph): Word has no conditional write, so it is typed back (at the end of the paragraph,
 * or as a paragraph of its own where a deleted one stood). The caller's list of Word paragraphs lacks it, so
 * its next pass carries it like any typing.
 */
async function keepTypedMeanwhile(context: WordRequestContext, overwrites: Overwrite[]): Promise<number> {
  let count = 0;
  for (const { was, replaced, typeBack } of overwrites) {
    const typed = insertedText(replaced, was());
    if (typed === '') continue;
    typeBack(typed);
    count += 1;
  }
  // A paragraph deleted since then too takes the text with it, as the user's own deletion would have.
  if (count > 0) await syncUnlessGone(context);
  return count;
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

/**
 * Whether the edits were written, the `uniqueLocalId` of each paragraph an insert made (by edit), and how many
 * Word API writes that took.
 */
export type WriteResult =
  | { written: false }
  | { written: true; createdIds: (string | undefined)[]; writes: number };
