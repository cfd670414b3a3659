import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { updateFragment } from '../../connectors/model/fragmentUpdate.ts';
import { schema } from '../../connectors/model/schema.ts';
import { documentFragment, fromYjs } from '../../connectors/model/yjs.ts';
import { editBlock, newBlock } from './blockEdits.ts';
import {
  elementText,
  foundInOrder,
  insertedText,
  liveCounterpart,
  withoutDeleted,
} from './concurrentDeletes.ts';
import type { WordEventHandle, WordNamespace, WordParagraphProxy, WordRequestContext } from './wordApi.ts';
import {
  type AlignStep,
  alignUnits,
  styleOfBlock,
  type Unit,
  unitsFromDoc,
  unitsFromWord,
} from './wordUnits.ts';
import { type WordEdit, writeEdits } from './wordWriter.ts';

export interface WordBindingOptions {
  word: WordNamespace;
  /** The shared document (the provider's Y.Doc). */
  doc: Y.Doc;
  /** WordApi 1.6 paragraph events available: they wake reconciliation at once. */
  events: boolean;
  /** Reconciliation period (also what catches changes no event reported). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/** The origin of the binding's own Yjs transactions, so it never takes them for remote changes. */
export const wordOrigin = { source: 'word-addin' } as const;

/**
 * Keeps the paragraphs of the open Word document and the shared document the same, both ways, while the
 * user types in Word (the add-in's live mode; docs/word-addin.md). Events are hints, never the truth: every
 * pass reads Word's paragraphs and reconciles from their contents against a **shadow**, a Y.Doc holding the
 * state both sides agreed on at the last pass, exactly as the sync engine does for a remote (DESIGN §3):
 * 1. Word's changes since the last pass (aligned paragraph by paragraph) are applied to the shadow as minimal
 *    Yjs edits, and the shadow's update to the shared document, where the CRDT merges it with what others
 *    typed meanwhile;
 * 2. what others changed (the shared document against the shadow) is written into Word with the smallest
 *    Word API calls (`wordWriter.ts`), never rewriting the body, never writing back what came from Word;
 * 3. the shadow takes the shared document's state, and the list of Word paragraphs becomes what Word holds
 *    after those writes (computed, not re-read: a keystroke typed during the pass is seen by the next one).
 * A pass runs on a paragraph event, on a remote change, and every `pollMs` (a fast paste or a formatting
 * change on the web fires no event). After convergence a pass writes nothing anywhere.
 */
export class WordBinding {
  private readonly shadow = new Y.Doc();
  private lastWord: Unit[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<void> | null = null;
  private writes = 0;
  /** The paragraph event handlers `start` added, and the context that added them (to remove them). */
  private events: { handles: WordEventHandle[]; context: WordRequestContext } | null = null;
  private again = false;
  private stopped = false;
  private readonly onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin !== wordOrigin) this.schedule();
  };

  constructor(private readonly options: WordBindingOptions) {}

  /**
   * First pass: the shared document is the truth (it holds every suite's edits), so Word is brought to it;
   * then events and the poll keep both in step.
   */
  async start(): Promise<void> {
    const { word, doc } = this.options;
    Y.applyUpdate(this.shadow, Y.encodeStateAsUpdate(doc));
    await word.run(async (context) => {
      const { units, proxies } = await readWord(context, this.options.events);
      // Word itself is the base: whatever it shows differently from the document is written over.
      const live = unitsFromDoc(this.readShadow()).units;
      const edits = this.editsForWord(
        units,
        live,
        units,
        units.map((_, i) => i),
      );
      const result = await writeEdits(context, proxies, edits, this.options.events);
      if (result.written) this.writes += result.writes;
      // Not written (the user typed meanwhile): the first regular pass brings Word to the document.
      this.lastWord = result.written ? applyEdits(units, edits, result.createdIds) : units;
    });
    if (this.options.events) {
      await word.run(async (context) => {
        const wake = () => this.schedule();
        const handles = [
          context.document.onParagraphAdded.add(wake),
          context.document.onParagraphChanged.add(wake),
          context.document.onParagraphDeleted.add(wake),
        ];
        await context.sync();
        this.events = { handles, context };
      });
    }
    doc.on('update', this.onUpdate);
    this.schedule();
    this.timer = setInterval(() => this.schedule(), this.options.pollMs ?? 1000);
  }

  /**
   * Stops mirroring (the session ended, the task pane closes): no more passes, the paragraph event handlers
   * removed from Word; resolves when a pass in flight is done. Idempotent.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.options.doc.off('update', this.onUpdate);
    await this.running;
    const events = this.events;
    this.events = null;
    if (events) {
      for (const handle of events.handles) handle.remove();
      await events.context.sync();
    }
  }

  /**
   * Word API writes the binding has made (text changes, style sets, paragraphs inserted or deleted): the
   * task pane's no-echo check, as it must not grow once both sides agree.
   */
  get wordWrites(): number {
    return this.writes;
  }

  /** Resolves when no pass is running or queued (for tests and for a clean stop). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.reconcile()
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
  }

  /**
   * The shadow's JSON, read from a copy of it: y-prosemirror's reader joins a paragraph's text runs that the
   * reading doc's own client made (concurrent typing into an empty paragraph makes two) into the run before,
   * and what a peer typed into that run meanwhile would vanish with it. The shadow's runs stay (updateFragment
   * edits a run as one text). Reading can still write, where content does not fit the schema (y-prosemirror
   * removes it): then the shadow itself is read, and the repair forwarded to the shared document at once, so
   * the shadow never holds an edit the document lacks (the shadow's later updates would wait there for it).
   */
  private readShadow(): JSONContent {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.shadow));
    let repaired = false;
    copy.on('update', () => {
      repaired = true;
    });
    const json = fromYjs(copy);
    if (!repaired) return json;
    const before = Y.encodeStateVector(this.shadow);
    const read = fromYjs(this.shadow);
    Y.applyUpdate(this.options.doc, Y.encodeStateAsUpdate(this.shadow, before), wordOrigin);
    return read;
  }

  /**
   * Applies a plan to the shadow's blocks by position, from the last block backwards so positions hold:
   * identity comes from the plan (Word's paragraph ids), never from re-aligning contents, which would take
   * two empty paragraphs for one another and replace a block, losing what others typed into it.
   */
  private applyToShadow(plan: BlockPlan, blockCount: number): void {
    const fragment = documentFragment(this.shadow);
    this.shadow.transact(() => {
      for (let index = blockCount - 1; index >= -1; index--) {
        const inserted = plan.inserts.get(index) ?? [];
        inserted.forEach((json, k) => {
          const element = new Y.XmlElement(json.type!);
          // (Past the end only when the shadow is empty: its one block is the empty paragraph `fromYjs` shows.)
          fragment.insert(Math.min(index + 1 + k, fragment.length), [element]);
          updateFragment(element, blockNode(json));
        });
        if (index < 0) continue;
        if (plan.deletes.has(index)) {
          if (index < fragment.length) fragment.delete(index, 1);
        } else {
          const updated = plan.updates.get(index);
          const element = index < fragment.length ? fragment.get(index) : null;
          if (updated && element instanceof Y.XmlElement && element.nodeName === updated.type) {
            updateFragment(element, blockNode(updated));
          } else if (updated) {
            // A paragraph that became a heading (or back) is a new element: Yjs cannot rename one.
            if (element) fragment.delete(index, 1);
            const replacement = new Y.XmlElement(updated.type!);
            fragment.insert(index, [replacement]);
            updateFragment(replacement, blockNode(updated));
          }
        }
      }
    }, wordOrigin);
  }

  private async reconcile(): Promise<void> {
    const { word, doc } = this.options;
    await word.run(async (context) => {
      const read = await readWord(context, this.options.events);
      let { proxies, units: nowWord } = read;

      // 1. Word -> shadow -> shared document.
      let json = this.readShadow();
      let wordChanges = this.wordChangesToShadow(json, nowWord);
      while (wordChanges && wordChanges.fixes.length > 0) {
        // Text that came from paragraphs others deleted meanwhile leaves Word first (concurrentDeletes.ts);
        // if the user typed there since, nothing is taken: the next pass, at once, starts over.
        const { fixes } = wordChanges;
        const goneBefore = this.goneBlocks();
        const fixed = await writeEdits(context, proxies, fixes, this.options.events);
        if (!fixed.written) {
          this.again = true;
          return;
        }
        this.writes += fixed.writes;
        nowWord = applyEdits(nowWord, fixes, fixed.createdIds);
        const removed = new Set(fixes.flatMap((f) => (f.kind === 'delete' ? [f.index] : [])));
        proxies = proxies.filter((_, i) => !removed.has(i));
        // Others deleted more paragraphs while Word was written: the plan, made before, would update one of
        // them (what the user typed there would vanish with it) or keep its text; it is made again.
        if (this.goneBlocks() === goneBefore) wordChanges.fixes = [];
        else {
          json = this.readShadow();
          wordChanges = this.wordChangesToShadow(json, nowWord);
        }
      }
      if (wordChanges) {
        const { plan } = wordChanges;
        const rescues = this.rescues(plan);
        const before = Y.encodeStateVector(this.shadow);
        this.applyToShadow(plan, json.content?.length ?? 0);
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.shadow, before), wordOrigin);
        restore(doc, rescues);
      }

      // 2. Others' changes (shared document against shadow) -> Word.
      const base = unitsFromDoc(this.readShadow()).units;
      const live = unitsFromDoc(fromYjs(doc)).units;
      // What the shadow must take in step 3: the document exactly as `live` read it. Remote changes arriving
      // while Word is written are not in Word yet, so they must not be in the shadow either.
      const seen = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(this.shadow));
      const wordOf = this.pairing(base, nowWord);
      const edits = this.editsForWord(base, live, nowWord, wordOf);
      const result = await writeEdits(context, proxies, edits, this.options.events);
      if (result.written) this.writes += result.writes;
      if (!result.written) {
        // The user typed into a paragraph being written: Word's changes read above are in the shadow now;
        // the others' changes are written by the next pass, which starts at once.
        this.lastWord = nowWord;
        this.again = true;
        return;
      }

      // 3. Agree: the shadow takes the document's state; Word's list is what it holds after the writes.
      Y.applyUpdate(this.shadow, seen, wordOrigin);
      this.lastWord = applyEdits(nowWord, edits, result.createdIds);
    });
  }

  /**
   * What Word changed since the last pass, as edits of the shadow's top-level blocks: updated in place,
   * removed, or inserted after a block (-1: at the start); null when Word did not change. A paragraph the
   * shared document deleted meanwhile is not updated (the update would vanish with it): what the user typed
   * into it becomes a block of its own, and what Word still shows of the deleted text leaves Word (`fixes`).
   */
  private wordChangesToShadow(
    json: JSONContent,
    nowWord: Unit[],
  ): { plan: BlockPlan; fixes: WordEdit[] } | null {
    const steps = alignUnits(this.lastWord, nowWord);
    if (steps.every((s) => s.kind === 'same')) return null;
    const { units: shadowUnits, blockIndex } = unitsFromDoc(json);
    const shadowOf = this.pairing(this.lastWord, shadowUnits);
    const kept = keptTexts(steps, nowWord, (before) => {
      const unit = shadowOf[before];
      if (unit === undefined || shadowUnits[unit]!.locked) return null;
      return { text: shadowUnits[unit]!.text, deleted: this.isGone(blockIndex[unit]!) };
    });
    const plan: BlockPlan = { updates: new Map(), deletes: new Set(), inserts: new Map() };
    const fixes: WordEdit[] = [];
    const insert = (after: number, block: JSONContent) =>
      plan.inserts.set(after, [...(plan.inserts.get(after) ?? []), block]);
    const textOf = (after: number) => {
      const now = nowWord[after]!;
      const text = kept.get(after) ?? now.text;
      if (text !== now.text) {
        fixes.push({
          kind: 'text',
          index: after,
          from: now.text,
          to: text,
          fromStyle: now.style,
          toStyle: now.style,
        });
      }
      return text;
    };
    let lastBlock = -1;
    let changed = false;
    for (const step of steps) {
      if (step.kind === 'same' || step.kind === 'changed') {
        const unit = shadowOf[step.before];
        const block = unit === undefined ? undefined : blockIndex[unit];
        if (block !== undefined) lastBlock = block;
        const now = nowWord[step.after]!;
        if (step.kind === 'changed' && block !== undefined && !shadowUnits[unit!]!.locked) {
          if (!this.isGone(block)) {
            plan.updates.set(block, editBlock(json.content![block]!, textOf(step.after), now.style));
          } else {
            // Deleted meanwhile: gone from the shadow too; what was typed into it stays, else it leaves Word.
            plan.deletes.add(block);
            if (kept.get(step.after)) insert(block, newBlock(textOf(step.after), now.style));
            else fixes.push({ kind: 'delete', index: step.after, from: now.text });
          }
          changed = true;
        } else if (step.kind === 'changed' && unit === undefined && !now.locked) {
          // A paragraph the shadow has no block for (its block went meanwhile) is one Word added.
          insert(lastBlock, newBlock(textOf(step.after), now.style));
          changed = true;
        }
      } else if (step.kind === 'removed') {
        const unit = shadowOf[step.before];
        if (unit !== undefined && !shadowUnits[unit]!.locked && !this.lastWord[step.before]!.locked) {
          plan.deletes.add(blockIndex[unit]!);
          changed = true;
        }
      } else if (!nowWord[step.after]!.locked) {
        insert(lastBlock, newBlock(textOf(step.after), nowWord[step.after]!.style));
        changed = true;
      }
    }
    return changed ? { plan, fixes } : null;
  }

  /** Whether the shadow's top-level block `index` is deleted in the shared document. */
  private isGone(index: number): boolean {
    const element = documentFragment(this.shadow).get(index);
    return element instanceof Y.XmlElement && liveCounterpart(this.options.doc, element) === null;
  }

  /** The shadow's top-level blocks deleted in the shared document, as a comparable key. */
  private goneBlocks(): string {
    const count = documentFragment(this.shadow).length;
    return Array.from({ length: count }, (_, i) => i)
      .filter((i) => this.isGone(i))
      .join(',');
  }

  /**
   * For each block Word removed that others typed into since the last pass: where it stands in the shared
   * document, and a block holding what they typed, put back there once Word's deletion is applied.
   */
  private rescues(plan: BlockPlan): Rescue[] {
    const fragment = documentFragment(this.shadow);
    const rescues: Rescue[] = [];
    for (const index of [...plan.deletes].sort((a, b) => a - b)) {
      const element = fragment.get(index);
      if (!(element instanceof Y.XmlElement)) continue;
      const live = liveCounterpart(this.options.doc, element);
      const typed = live ? insertedText(elementText(element), elementText(live)) : '';
      if (!live || typed === '') continue;
      const style = styleOfBlock({ type: live.nodeName, attrs: live.getAttributes() });
      rescues.push({
        at: Y.createRelativePositionFromTypeIndex(fragment, index),
        block: newBlock(typed, style),
      });
    }
    return rescues;
  }

  /** For each unit of `from`, the index of the unit of `to` it stands for (same or changed), if any. */
  private pairing(from: Unit[], to: Unit[]): (number | undefined)[] {
    const map: (number | undefined)[] = new Array(from.length).fill(undefined);
    for (const step of alignUnits(from, to)) {
      if (step.kind === 'same' || step.kind === 'changed') map[step.before] = step.after;
    }
    return map;
  }

  /** The Word edits that turn `base` into `live`, addressed to Word's paragraphs through `wordOf`. */
  private editsForWord(
    base: Unit[],
    live: Unit[],
    nowWord: Unit[],
    wordOf: (number | undefined)[],
  ): WordEdit[] {
    const edits: WordEdit[] = [];
    let lastWordIndex = -1;
    for (const step of alignUnits(base, live)) {
      if (step.kind === 'same' || step.kind === 'changed') {
        const index = wordOf[step.before];
        if (index !== undefined) lastWordIndex = index;
        const target = live[step.after]!;
        // A changed block Word no longer holds (it was taken out meanwhile) is written as a new paragraph.
        if (step.kind === 'changed' && index === undefined && !target.locked) {
          edits.push({ kind: 'insert', after: lastWordIndex, text: target.text, style: target.style });
        } else if (
          step.kind === 'changed' &&
          index !== undefined &&
          !target.locked &&
          !nowWord[index]!.locked
        ) {
          const current = nowWord[index]!;
          edits.push({
            kind: 'text',
            index,
            from: current.text,
            to: target.text,
            fromStyle: current.style,
            toStyle: target.style,
          });
        }
      } else if (step.kind === 'removed') {
        const index = wordOf[step.before];
        if (index !== undefined && !base[step.before]!.locked && !nowWord[index]!.locked) {
          edits.push({ kind: 'delete', index, from: nowWord[index]!.text });
        }
      } else if (!live[step.after]!.locked) {
        edits.push({
          kind: 'insert',
          after: lastWordIndex,
          text: live[step.after]!.text,
          style: live[step.after]!.style,
        });
      }
    }
    return edits;
  }
}

/** Edits of the shadow's top-level blocks, by block index (see `applyToShadow`). */
interface BlockPlan {
  updates: Map<number, JSONContent>;
  deletes: Set<number>;
  inserts: Map<number, JSONContent[]>;
}

/** What others typed into a block Word removed, and where it goes back (see `WordBinding.rescues`). */
interface Rescue {
  at: Y.RelativePosition;
  block: JSONContent;
}

/** Puts rescued blocks into the shared document where their deleted blocks stood. */
function restore(doc: Y.Doc, rescues: Rescue[]): void {
  if (rescues.length === 0) return;
  const fragment = documentFragment(doc);
  doc.transact(() => {
    for (const { at, block } of rescues) {
      const index = Y.createAbsolutePositionFromRelativePosition(at, doc)?.index ?? fragment.length;
      const element = new Y.XmlElement(block.type!);
      fragment.insert(index, [element]);
      updateFragment(element, blockNode(block));
    }
  }, wordOrigin);
}

/** A schema-checked node of a block's JSON. */
function blockNode(json: JSONContent) {
  const built = schema.nodeFromJSON(json);
  built.check();
  return built;
}

/**
 * For the runs of Word paragraphs (between unchanged ones) that took text from blocks the shared document
 * deleted meanwhile, each paragraph's text without that text (`withoutDeleted`), by index in `nowWord`.
 * `source` gives a removed or changed paragraph's block text and whether it is deleted (null: locked).
 */
function keptTexts(
  steps: AlignStep[],
  nowWord: Unit[],
  source: (before: number) => { text: string; deleted: boolean } | null,
): Map<number, string> {
  const kept = new Map<number, string>();
  // The run being gathered, and the last run that took text from a deleted block: paragraphs Word added just
  // after it with no source of their own (a split's tail beyond a paragraph written meanwhile) join it.
  let run: AlignStep[] = [];
  let group: { sources: { text: string; deleted: boolean }[]; targets: number[] } | null = null;
  const flush = () => {
    const targets = run.flatMap((s) => (s.kind !== 'removed' && !nowWord[s.after]!.locked ? [s.after] : []));
    const texts = targets.map((i) => nowWord[i]!.text);
    const sources = run.flatMap((s) => {
      const found = s.kind === 'added' ? null : source(s.before);
      // A paragraph Word removed counts only where its text went into others (a join, maybe after typing into
      // it or splitting it again); else it was deleted.
      if (!found || (s.kind === 'removed' && !foundInOrder(found.text, texts.join('\n')))) return [];
      return [found];
    });
    if (sources.some((s) => s.deleted)) group = { sources, targets };
    else if (sources.length === 0 && group) group.targets.push(...targets);
    else group = null;
    if (group && group.targets.length > 0) {
      const { targets: all } = group;
      withoutDeleted(
        group.sources,
        all.map((i) => nowWord[i]!.text),
      ).forEach((text, k) => {
        kept.set(all[k]!, text);
      });
    }
    run = [];
  };
  let unchanged = 0;
  for (const step of steps) {
    if (step.kind !== 'same') {
      run.push(step);
      unchanged = 0;
    } else {
      if (run.length > 0) flush();
      // Only a paragraph or two away: further on, an added paragraph is the user's own.
      if (++unchanged > 2) group = null;
    }
  }
  if (run.length > 0) flush();
  return kept;
}

/** Reads Word's body: its paragraphs as units, and the proxy of each unit's paragraph for writing. */
async function readWord(context: WordRequestContext, ids: boolean) {
  const collection = context.document.body.paragraphs.load(
    `items/text,items/styleBuiltIn,items/tableNestingLevel,items/isListItem${ids ? ',items/uniqueLocalId' : ''}`,
  );
  await context.sync();
  const { units, wordIndex } = unitsFromWord(collection.items, ids);
  const proxies: WordParagraphProxy[] = wordIndex.map((i) => collection.items[i]!);
  return { units, proxies };
}

/** Word's paragraph list after `edits` (the same edits `writeEdits` makes), with the new paragraphs' ids. */
function applyEdits(units: Unit[], edits: WordEdit[], createdIds: (string | undefined)[]): Unit[] {
  const slots: (Unit | null)[][] = units.map((u) => [u]);
  const head: Unit[] = [];
  edits.forEach((edit, i) => {
    if (edit.kind === 'text')
      slots[edit.index]![0] = { ...units[edit.index]!, text: edit.to, style: edit.toStyle };
    else if (edit.kind === 'delete') slots[edit.index]![0] = null;
    else {
      const id = createdIds[i];
      const unit: Unit = { text: edit.text, style: edit.style, locked: false, ...(id ? { id } : {}) };
      if (edit.after < 0) head.push(unit);
      else slots[edit.after]!.push(unit);
    }
  });
  return [...head, ...slots.flat().filter((u): u is Unit => u !== null)];
}
