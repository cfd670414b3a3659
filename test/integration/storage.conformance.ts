import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { mergeToSnapshot } from '../../server/storage/mergeUpdates.ts';
import { migrations } from '../../server/storage/migrations.ts';
import type { MergeFunction, Storage, StoredDocument } from '../../server/storage/storage.ts';

/** One database per test, opened as many times as a test needs (each open() is like one more server). */
export interface StorageFixture {
  /** A new, not yet migrated instance on this fixture's database; closed by dispose(). */
  open(): Storage;
  /**
   * Resolves once some connection is blocked waiting for a compaction lock (PostgreSQL: an advisory
   * lock wait), polling until `signal` aborts. A back end that never blocks returns a promise that only
   * settles on abort.
   */
  compactionBlocked(signal: AbortSignal): Promise<void>;
  /** Versions recorded in schema_migrations, read with a connection of its own. */
  appliedMigrations(): Promise<number[]>;
  /** Closes every instance open() returned and removes the database. */
  dispose(): Promise<void>;
}

/** Real Yjs updates: `count` edits of one text, captured one update per edit. */
function textEdits(count: number, clientID = 1): { updates: Uint8Array[]; text: string } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('t');
  for (let i = 0; i < count; i++) {
    if (i % 4 === 3) text.delete(0, 1);
    else text.insert(text.length, `edit ${i}; `);
  }
  return { updates, text: text.toString() };
}

/** What a loader sees: the snapshot and the log applied to a fresh document. */
function textOf(stored: StoredDocument): string {
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A merge that signals when it starts and waits for `release` before folding. */
function gatedMerge(release: Promise<void>): { merge: MergeFunction; entered: Promise<void> } {
  const started = gate();
  const merge: MergeFunction = async (snapshot, updates) => {
    started.open();
    await release;
    return mergeToSnapshot(snapshot, updates);
  };
  return { merge, entered: started.promise };
}

/**
 * The acceptance suite every `Storage` implementation must pass. `makeFixture` gives each test a
 * database of its own.
 */
export function describeStorageConformance(name: string, makeFixture: () => Promise<StorageFixture>): void {
  describe(`storage conformance: ${name}`, () => {
    let fixture: StorageFixture;
    const openMigrated = async (): Promise<Storage> => {
      const storage = fixture.open();
      await storage.migrate();
      return storage;
    };

    beforeEach(async () => {
      fixture = await makeFixture();
    });
    afterEach(async () => {
      await fixture.dispose();
    });

    it('loads a document never written as empty', async () => {
      const storage = await openMigrated();
      expect(await storage.loadDocument('nothing-here')).toEqual({
        snapshot: null,
        updates: [],
        ids: [],
        upTo: 0,
        snapshotUpTo: null,
      });
      expect(await storage.logLength('nothing-here')).toBe(0);
    });

    it('reloads appended Yjs updates in order, with increasing numeric ids', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(12);
      const ids: number[] = [];
      for (const update of updates) ids.push(...(await storage.appendUpdates('doc', [update])));
      expect(ids).toHaveLength(updates.length);
      for (const id of ids) expect(Number.isSafeInteger(id)).toBe(true);
      for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]!);
      const stored = await storage.loadDocument('doc');
      expect(stored.snapshot).toBeNull();
      expect(stored.updates).toEqual(updates);
      expect(stored.ids).toEqual(ids);
      expect(stored.upTo).toBe(ids.at(-1));
      expect(textOf(stored)).toBe(text);
    });

    it('appends several updates in one transaction: all or none', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(6);
      expect(await storage.appendUpdates('doc', [])).toEqual([]);
      const written = await storage.appendUpdates('doc', updates.slice(0, 3));
      expect(written).toHaveLength(3);
      expect(written).toEqual([...written].sort((x, y) => x - y));
      expect((await storage.loadDocument('doc')).ids).toEqual(written);
      expect((await storage.loadDocument('doc')).upTo).toBe(written.at(-1));
      const poisoned = [updates[3]!, null as unknown as Uint8Array, updates[4]!];
      await expect(storage.appendUpdates('doc', poisoned)).rejects.toThrow();
      expect(await storage.logLength('doc')).toBe(3);
      await storage.appendUpdates('doc', updates.slice(3));
      const stored = await storage.loadDocument('doc');
      expect(stored.updates).toEqual(updates);
      expect(textOf(stored)).toBe(text);
    });

    it('round-trips binary data with every byte value, through the log and the snapshot', async () => {
      const storage = await openMigrated();
      const everyByte = Uint8Array.from({ length: 256 }, (_, i) => i);
      const large = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
      const entries = [everyByte, everyByte.slice().reverse(), new Uint8Array(0), large];
      await storage.appendUpdates('bin', entries);
      expect((await storage.loadDocument('bin')).updates).toEqual(entries);
      const seen: Uint8Array[][] = [];
      await storage.compact('bin', (_snapshot, updates) => {
        seen.push(updates);
        return everyByte;
      });
      expect(seen).toEqual([entries]);
      expect(await storage.loadDocument('bin')).toMatchObject({ snapshot: everyByte, updates: [] });
    });

    it('counts the log entries not yet folded', async () => {
      const storage = await openMigrated();
      const { updates } = textEdits(6);
      await storage.appendUpdates('doc', updates.slice(0, 3));
      await storage.appendUpdates('doc', updates.slice(3, 5));
      expect(await storage.logLength('doc')).toBe(5);
      await storage.compact('doc', mergeToSnapshot);
      expect(await storage.logLength('doc')).toBe(0);
      await storage.appendUpdates('doc', updates.slice(5));
      expect(await storage.logLength('doc')).toBe(1);
    });

    it('folds the log into the snapshot; the document reloads identically', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(20);
      await storage.appendUpdates('doc', updates.slice(0, 15));
      const before = await storage.loadDocument('doc');
      expect(await storage.compact('doc', mergeToSnapshot)).toEqual({ folded: 15 });
      const after = await storage.loadDocument('doc');
      expect(after.snapshot).not.toBeNull();
      expect(after.updates).toEqual([]);
      expect(after.upTo).toBe(before.upTo);
      expect(textOf(after)).toBe(textOf(before));

      const idle = vi.fn(mergeToSnapshot);
      expect(await storage.compact('doc', idle)).toEqual({ folded: 0 });
      expect(idle).not.toHaveBeenCalled();

      await storage.appendUpdates('doc', updates.slice(15));
      const spy = vi.fn(mergeToSnapshot);
      expect(await storage.compact('doc', spy)).toEqual({ folded: 5 });
      expect(spy).toHaveBeenCalledWith(after.snapshot, updates.slice(15));
      expect(textOf(await storage.loadDocument('doc'))).toBe(text);
    });

    it('compacts from a state held in memory: exactly the entries named leave the log', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(9);
      // Entries 0-5 and 8 are the caller's; 6 and 7 were appended by someone it never heard from.
      const mine = await storage.appendUpdates('doc', updates.slice(0, 6));
      const theirs = await storage.appendUpdates('doc', updates.slice(6, 8));
      mine.push(...(await storage.appendUpdates('doc', updates.slice(8))));
      const held = new Y.Doc();
      for (const update of [...updates.slice(0, 6), updates[8]!]) Y.applyUpdate(held, update);

      const written = await storage.compactFromState('doc', Y.encodeStateAsUpdate(held), {
        snapshotUpTo: null,
        ids: mine,
      });
      expect(written).toEqual({ folded: 7, upTo: mine.at(-1) });
      const stored = await storage.loadDocument('doc');
      expect(stored.ids).toEqual(theirs);
      expect(stored.updates).toEqual(updates.slice(6, 8));
      expect(stored.snapshotUpTo).toBe(mine.at(-1));
      expect(textOf(stored)).toBe(text);
      // The entries left behind have lower ids than the snapshot's up_to: a compaction that reads the log still
      // folds them, and records an up_to above the one it replaced, so a state that does not hold them can no
      // longer pass for the stored snapshot.
      expect(await storage.compact('doc', mergeToSnapshot)).toEqual({ folded: 2 });
      const compacted = await storage.loadDocument('doc');
      expect(compacted.snapshotUpTo).toBeGreaterThan(mine.at(-1)!);
      expect(textOf(compacted)).toBe(text);
      const stale = { snapshotUpTo: mine.at(-1)!, ids: [] };
      expect(await storage.compactFromState('doc', Y.encodeStateAsUpdate(held), stale)).toBeNull();
      expect(await storage.loadDocument('doc')).toEqual(compacted);
    });

    it('refuses a compaction from memory once the stored snapshot is not the one the state holds', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(6);
      const loaded = await storage.appendUpdates('doc', updates.slice(0, 3));
      expect(await storage.compact('doc', mergeToSnapshot)).toEqual({ folded: 3 });
      const basis = { snapshotUpTo: (await storage.loadDocument('doc')).snapshotUpTo, ids: [] as number[] };
      expect(basis.snapshotUpTo).toBe(loaded.at(-1));
      // Another compaction replaces the snapshot after the caller read it (it folded entries the caller lacks).
      await storage.appendUpdates('doc', updates.slice(3, 5));
      expect(await storage.compact('doc', mergeToSnapshot)).toEqual({ folded: 2 });
      const before = await storage.loadDocument('doc');
      const held = new Y.Doc();
      for (const update of updates.slice(0, 3)) Y.applyUpdate(held, update);
      basis.ids.push(...(await storage.appendUpdates('doc', updates.slice(5))));
      Y.applyUpdate(held, updates[5]!);
      expect(await storage.compactFromState('doc', Y.encodeStateAsUpdate(held), basis)).toBeNull();
      const after = await storage.loadDocument('doc');
      expect(after.snapshot).toEqual(before.snapshot);
      expect(after.ids).toEqual(basis.ids);
      expect(textOf(after)).toBe(text);
    });

    it('changes nothing when the merge function throws', async () => {
      const storage = await openMigrated();
      const { updates } = textEdits(4);
      await storage.appendUpdates('doc', updates);
      const before = await storage.loadDocument('doc');
      const failing = (): Uint8Array => {
        throw new Error('merge failed');
      };
      await expect(storage.compact('doc', failing)).rejects.toThrow('merge failed');
      expect(await storage.loadDocument('doc')).toEqual(before);
      expect(await storage.compact('doc', mergeToSnapshot)).toEqual({ folded: 4 });
    });

    it('keeps entries appended while a compaction runs, without blocking the appends', async () => {
      const compacting = await openMigrated();
      const other = await openMigrated();
      const { updates, text } = textEdits(10);
      await compacting.appendUpdates('doc', updates.slice(0, 5));
      const release = gate();
      const { merge, entered } = gatedMerge(release.promise);
      const compaction = compacting.compact('doc', merge);
      await entered;
      // Both appends must complete while the merge is still held.
      await other.appendUpdates('doc', updates.slice(5, 8));
      await compacting.appendUpdates('doc', updates.slice(8));
      release.open();
      expect(await compaction).toEqual({ folded: 5 });
      expect(await other.logLength('doc')).toBe(5);
      const stored = await other.loadDocument('doc');
      expect(stored.updates).toEqual(updates.slice(5));
      expect(textOf(stored)).toBe(text);
    });

    it('runs concurrent compactions from two instances without losing or duplicating entries', async () => {
      const a = await openMigrated();
      const b = await openMigrated();
      const { updates, text } = textEdits(7);
      await a.appendUpdates('doc', updates.slice(0, 4));
      const release = gate();
      const { merge, entered } = gatedMerge(release.promise);
      const first = a.compact('doc', merge);
      await entered;
      await b.appendUpdates('doc', updates.slice(4));
      const second = b.compact('doc', mergeToSnapshot);
      // Hold the first merge until the second compaction either finished or is provably waiting for it.
      const polling = new AbortController();
      await Promise.race([second, fixture.compactionBlocked(polling.signal)]);
      polling.abort();
      release.open();
      const results = await Promise.all([first, second]);
      expect(results[0].folded + results[1].folded).toBe(7);
      expect(await a.logLength('doc')).toBe(0);
      expect(textOf(await b.loadDocument('doc'))).toBe(text);
    });

    it('keeps every entry exactly once through rounds of concurrent appends and compactions', async () => {
      const a = await openMigrated();
      const b = await openMigrated();
      const { updates, text } = textEdits(48);
      let folded = 0;
      for (let round = 0; round < 6; round++) {
        const batch = updates.slice(round * 8, round * 8 + 8);
        const results = await Promise.all([
          a.appendUpdates('doc', batch.slice(0, 2)),
          a.compact('doc', mergeToSnapshot),
          b.appendUpdates('doc', batch.slice(2, 5)),
          b.compact('doc', mergeToSnapshot),
          a.appendUpdates('doc', batch.slice(5, 6)),
          b.appendUpdates('doc', batch.slice(6)),
          a.compact('doc', mergeToSnapshot),
        ]);
        for (const result of results) if (!Array.isArray(result)) folded += result.folded;
      }
      expect(folded + (await a.logLength('doc'))).toBe(updates.length);
      expect(textOf(await b.loadDocument('doc'))).toBe(text);
    });

    it('serialises concurrent compactions of one document within one instance', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(6);
      await storage.appendUpdates('doc', updates.slice(0, 3));
      const release = gate();
      const { merge, entered } = gatedMerge(release.promise);
      const first = storage.compact('doc', merge);
      await entered;
      await storage.appendUpdates('doc', updates.slice(3));
      const second = storage.compact('doc', mergeToSnapshot);
      release.open();
      expect(await Promise.all([first, second])).toEqual([{ folded: 3 }, { folded: 3 }]);
      expect(textOf(await storage.loadDocument('doc'))).toBe(text);
    });

    it('keeps documents independent of each other, whatever their names', async () => {
      const storage = await openMigrated();
      const names = ['doc', 'doc%', 'Doc', 'a/b', 'ü 文档 🙂', 'quote\'d "doc"', 'x'.repeat(500)];
      const contents = names.map((_, i) => textEdits(4, i + 1));
      for (const [i, name] of names.entries()) await storage.appendUpdates(name, contents[i]!.updates);
      await storage.compact('doc', mergeToSnapshot);
      expect(await storage.logLength('doc')).toBe(0);
      for (const [i, name] of names.entries()) {
        const stored = await storage.loadDocument(name);
        expect(textOf(stored)).toBe(contents[i]!.text);
        if (name !== 'doc') expect(stored).toMatchObject({ snapshot: null, updates: contents[i]!.updates });
      }
    });

    it('migrates idempotently and records each version once', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(3);
      await storage.appendUpdates('doc', updates);
      await storage.migrate();
      await (await openMigrated()).migrate();
      expect(await fixture.appliedMigrations()).toEqual(migrations.map((m) => m.version));
      expect(textOf(await storage.loadDocument('doc'))).toBe(text);
    });

    it('migrates safely from several instances at once', async () => {
      const instances = [fixture.open(), fixture.open(), fixture.open()];
      await Promise.all(instances.map((storage) => storage.migrate()));
      expect(await fixture.appliedMigrations()).toEqual(migrations.map((m) => m.version));
      const { updates, text } = textEdits(3);
      await instances[0]!.appendUpdates('doc', updates);
      expect(textOf(await instances[2]!.loadDocument('doc'))).toBe(text);
    });

    it('answers ping while open; close() is idempotent and later calls reject with STORAGE_CLOSED', async () => {
      const storage = await openMigrated();
      await expect(storage.ping()).resolves.toBeUndefined();
      await storage.close();
      await storage.close();
      const closed = { name: 'StorageError', code: 'STORAGE_CLOSED' };
      await expect(storage.ping()).rejects.toMatchObject(closed);
      await expect(storage.appendUpdates('doc', [new Uint8Array([1])])).rejects.toMatchObject(closed);
      await expect(storage.loadDocument('doc')).rejects.toMatchObject(closed);
      await expect(storage.compact('doc', mergeToSnapshot)).rejects.toMatchObject(closed);
    });

    it('lets a running compaction finish before close() resolves', async () => {
      const storage = await openMigrated();
      const { updates, text } = textEdits(4);
      await storage.appendUpdates('doc', updates);
      const release = gate();
      const { merge, entered } = gatedMerge(release.promise);
      const compaction = storage.compact('doc', merge);
      await entered;
      const closing = storage.close();
      release.open();
      await closing;
      expect(await compaction).toEqual({ folded: 4 });
      const reopened = await openMigrated();
      expect(await reopened.logLength('doc')).toBe(0);
      expect(textOf(await reopened.loadDocument('doc'))).toBe(text);
    });
  });
}
