import type { JSONContent } from '@tiptap/core';
import * as Y from 'yjs';
import { updateFragment } from '../../connectors/model/fragmentUpdate.ts';
import { schema } from '../../connectors/model/schema.ts';
import { documentFragment, fromYjs } from '../../connectors/model/yjs.ts';
import { editBlock, newBlock } from './blockEdits.ts';
import type { WordNamespace, WordParagraphProxy, WordRequestContext } from './wordApi.ts';
import { alignUnits, type Unit, unitsFromDoc, unitsFromWord } from './wordUnits.ts';
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
      // Not written (the user typed meanwhile): the first regular pass brings Word to the document.
      this.lastWord = result.written ? applyEdits(units, edits, result.createdIds) : units;
    });
    if (this.options.events) {
      await word.run(async (context) => {
        const wake = () => this.schedule();
        context.document.onParagraphAdded.add(wake);
        context.document.onParagraphChanged.add(wake);
        context.document.onParagraphDeleted.add(wake);
        await context.sync();
      });
    }
    doc.on('update', this.onUpdate);
    this.schedule();
    this.timer = setInterval(() => this.schedule(), this.options.pollMs ?? 1000);
  }

  /** Stops mirroring (the session ended); resolves when a pass in flight is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.options.doc.off('update', this.onUpdate);
    await this.running;
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
   * The shadow's JSON. Reading can write: y-prosemirror merges two adjacent texts of a paragraph when the
   * second was made by the reading doc's own client (concurrent typing into an empty paragraph makes two),
   * and that merge is a Yjs edit by the shadow. It is forwarded to the shared document at once, so the
   * shadow never holds an edit the document lacks (else the shadow's later updates would wait forever
   * there for the missing one).
   */
  private readShadow(): JSONContent {
    const before = Y.encodeStateVector(this.shadow);
    const json = fromYjs(this.shadow);
    // An update with nothing in it changes nothing there (and emits no update event).
    Y.applyUpdate(this.options.doc, Y.encodeStateAsUpdate(this.shadow, before), wordOrigin);
    return json;
  }

  /**
   * Applies a plan to the shadow's blocks by position, from the last block backwards so positions hold:
   * identity comes from the plan (Word's paragraph ids), never from re-aligning contents, which would take
   * two empty paragraphs for one another and replace a block, losing what others typed into it.
   */
  private applyToShadow(plan: BlockPlan, blockCount: number): void {
    const fragment = documentFragment(this.shadow);
    const node = (json: JSONContent) => {
      const built = schema.nodeFromJSON(json);
      built.check();
      return built;
    };
    this.shadow.transact(() => {
      for (let index = blockCount - 1; index >= -1; index--) {
        const inserted = plan.inserts.get(index) ?? [];
        inserted.forEach((json, k) => {
          const element = new Y.XmlElement(json.type!);
          fragment.insert(index + 1 + k, [element]);
          updateFragment(element, node(json));
        });
        if (index < 0) continue;
        if (plan.deletes.has(index)) fragment.delete(index, 1);
        else {
          const updated = plan.updates.get(index);
          const element = fragment.get(index) as Y.XmlElement;
          if (updated && element.nodeName === updated.type) updateFragment(element, node(updated));
          else if (updated) {
            // A paragraph that became a heading (or back) is a new element: Yjs cannot rename one.
            fragment.delete(index, 1);
            const replacement = new Y.XmlElement(updated.type!);
            fragment.insert(index, [replacement]);
            updateFragment(replacement, node(updated));
          }
        }
      }
    }, wordOrigin);
  }

  private async reconcile(): Promise<void> {
    const { word, doc } = this.options;
    await word.run(async (context) => {
      const { units: nowWord, proxies } = await readWord(context, this.options.events);

      // 1. Word -> shadow -> shared document.
      const json = this.readShadow();
      const { units: shadowUnits, blockIndex } = unitsFromDoc(json);
      const wordChanges = this.wordChangesToShadow(json, shadowUnits, blockIndex, nowWord);
      if (wordChanges) {
        const before = Y.encodeStateVector(this.shadow);
        this.applyToShadow(wordChanges, json.content?.length ?? 0);
        Y.applyUpdate(doc, Y.encodeStateAsUpdate(this.shadow, before), wordOrigin);
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

  /** The shadow's JSON with Word's changes since the last pass, or null when Word did not change. */
  /**
   * What Word changed since the last pass, as edits of the shadow's top-level blocks: updated in place,
   * removed, or inserted after a block (-1: at the start). Null when Word did not change.
   */
  private wordChangesToShadow(
    json: JSONContent,
    shadowUnits: Unit[],
    blockIndex: number[],
    nowWord: Unit[],
  ): BlockPlan | null {
    const steps = alignUnits(this.lastWord, nowWord);
    if (steps.every((s) => s.kind === 'same')) return null;
    const shadowOf = this.pairing(this.lastWord, shadowUnits);
    const plan: BlockPlan = { updates: new Map(), deletes: new Set(), inserts: new Map() };
    let lastBlock = -1;
    let changed = false;
    for (const step of steps) {
      if (step.kind === 'same' || step.kind === 'changed') {
        const unit = shadowOf[step.before];
        const block = unit === undefined ? undefined : blockIndex[unit];
        if (block !== undefined) lastBlock = block;
        if (step.kind === 'changed' && block !== undefined && !shadowUnits[unit!]!.locked) {
          const now = nowWord[step.after]!;
          plan.updates.set(block, editBlock(json.content![block]!, now.text, now.style));
          changed = true;
        }
      } else if (step.kind === 'removed') {
        const unit = shadowOf[step.before];
        if (unit !== undefined && !shadowUnits[unit]!.locked && !this.lastWord[step.before]!.locked) {
          plan.deletes.add(blockIndex[unit]!);
          changed = true;
        }
      } else if (!nowWord[step.after]!.locked) {
        const added = nowWord[step.after]!;
        plan.inserts.set(lastBlock, [
          ...(plan.inserts.get(lastBlock) ?? []),
          newBlock(added.text, added.style),
        ]);
        changed = true;
      }
    }
    return changed ? plan : null;
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
        if (step.kind === 'changed' && index !== undefined && !target.locked && !nowWord[index]!.locked) {
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
