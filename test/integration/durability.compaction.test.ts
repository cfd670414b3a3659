import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  afterLoadDocumentPayload,
  onLoadDocumentPayload,
  onStoreDocumentPayload,
} from '@hocuspocus/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Durability } from '../../server/collab/durability.ts';
import { createLogger } from '../../server/logger.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';

const COMPACT_AFTER = 8;

/** Compaction of loaded documents, driven through Durability's hooks as Hocuspocus calls them, on real SQLite. */
describe('Durability compaction', () => {
  let dir: string;
  let storage: SqliteStorage;
  let durability: Durability;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docbridge-durability-'));
    storage = new SqliteStorage(join(dir, 'docbridge.db'));
    await storage.migrate();
    durability = new Durability({ storage, logger: createLogger('silent'), compactAfter: COMPACT_AFTER });
  });
  afterEach(async () => {
    await durability.flush();
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function load(name: string): Promise<Y.Doc> {
    const document = new Y.Doc();
    const payload = { document, documentName: name };
    await durability.onLoadDocument(payload as unknown as onLoadDocumentPayload);
    await durability.afterLoadDocument(payload as unknown as afterLoadDocumentPayload);
    return document;
  }

  /** Types `count` characters into `document`, each its own update, and waits until they are committed. */
  async function type(document: Y.Doc, name: string, count: number, char = 'a'): Promise<void> {
    for (let i = 0; i < count; i++) document.getText('t').insert(document.getText('t').length, char);
    await durability.whenDurable(name);
  }

  function store(document: Y.Doc, name: string): Promise<void> {
    return durability.onStoreDocument({ document, documentName: name } as unknown as onStoreDocumentPayload);
  }

  /** The text a fresh load of the stored document shows. */
  async function storedText(name: string): Promise<string> {
    const fresh = new Y.Doc();
    await durability.applyStored(fresh, name);
    return fresh.getText('t').toString();
  }

  it('folds a loaded document from memory: the log is not read back, its own entries leave it', async () => {
    await storage.appendUpdates('doc', [textUpdate('stored ')]);
    const document = await load('doc');
    await type(document, 'doc', COMPACT_AFTER);
    const fromState = vi.spyOn(storage, 'compactFromState');
    const fromLog = vi.spyOn(storage, 'compact');
    const loads = vi.spyOn(storage, 'loadDocument');

    await store(document, 'doc');

    expect(fromState).toHaveBeenCalledTimes(1);
    expect(fromLog).not.toHaveBeenCalled();
    expect(loads).not.toHaveBeenCalled();
    expect(await storage.logLength('doc')).toBe(0);
    expect(await storedText('doc')).toBe(`stored ${'a'.repeat(COMPACT_AFTER)}`);
    expect(await storedText('doc')).toBe(document.getText('t').toString());

    // The next fold starts from the snapshot it wrote.
    await type(document, 'doc', COMPACT_AFTER, 'b');
    await store(document, 'doc');
    expect(fromState).toHaveBeenCalledTimes(2);
    expect(fromLog).not.toHaveBeenCalled();
    expect(await storage.logLength('doc')).toBe(0);
    expect(await storedText('doc')).toBe(document.getText('t').toString());
  });

  it('leaves entries appended elsewhere in the log, and folds them from storage once they are many', async () => {
    const document = await load('doc');
    await type(document, 'doc', COMPACT_AFTER);
    // Another instance (or a link's transaction) appends an edit this document has not received.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(document));
    const before = Y.encodeStateVector(elsewhere);
    elsewhere.getText('t').insert(0, 'X');
    await storage.appendUpdates('doc', [Y.encodeStateAsUpdate(elsewhere, before)]);

    await store(document, 'doc');
    expect((await storage.loadDocument('doc')).updates).toHaveLength(1);
    expect(document.getText('t').toString()).not.toContain('X');
    expect(await storedText('doc')).toBe(`X${'a'.repeat(COMPACT_AFTER)}`);

    // Entries it does not know reach the threshold on their own: a compaction that reads the log folds them.
    for (let i = 0; i < COMPACT_AFTER; i++) {
      const at = Y.encodeStateVector(elsewhere);
      elsewhere.getText('t').insert(0, 'Y');
      await storage.appendUpdates('doc', [Y.encodeStateAsUpdate(elsewhere, at)]);
    }
    const fromLog = vi.spyOn(storage, 'compact');
    await store(document, 'doc');
    expect(fromLog).toHaveBeenCalledTimes(1);
    expect(await storage.logLength('doc')).toBe(0);
    expect(await storedText('doc')).toBe(`${'Y'.repeat(COMPACT_AFTER)}X${'a'.repeat(COMPACT_AFTER)}`);
  });

  it('falls back to reading the log when another compaction replaced the snapshot it was loaded with', async () => {
    const document = await load('doc');
    await type(document, 'doc', 3);
    // Another instance folds the log meanwhile, with an edit this document has not received.
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(document));
    const before = Y.encodeStateVector(elsewhere);
    elsewhere.getText('t').insert(0, 'X');
    await storage.appendUpdates('doc', [Y.encodeStateAsUpdate(elsewhere, before)]);
    await storage.compact('doc', (snapshot, updates) => {
      const merged = new Y.Doc();
      for (const update of snapshot ? [snapshot, ...updates] : updates) Y.applyUpdate(merged, update);
      return Y.encodeStateAsUpdate(merged);
    });

    await type(document, 'doc', COMPACT_AFTER, 'b');
    const fromState = vi.spyOn(storage, 'compactFromState');
    const fromLog = vi.spyOn(storage, 'compact');
    await store(document, 'doc');
    expect(await fromState.mock.results[0]!.value).toBeNull();
    expect(fromLog).toHaveBeenCalledTimes(1);
    expect(await storage.logLength('doc')).toBe(0);
    expect(await storedText('doc')).toBe(`Xaaa${'b'.repeat(COMPACT_AFTER)}`);

    // Having folded what it could not vouch for, it no longer folds from memory: the snapshot holds the X.
    await type(document, 'doc', COMPACT_AFTER, 'c');
    await store(document, 'doc');
    expect(fromState).toHaveBeenCalledTimes(1);
    expect(fromLog).toHaveBeenCalledTimes(2);
    expect(await storedText('doc')).toBe(`Xaaa${'b'.repeat(COMPACT_AFTER)}${'c'.repeat(COMPACT_AFTER)}`);
  });

  it('keeps a stored entry it could not read in the log', async () => {
    const unreadable = Uint8Array.of(0xff, 0xff, 0xff);
    await storage.appendUpdates('doc', [textUpdate('stored '), unreadable]);
    const document = await load('doc');
    expect(document.getText('t').toString()).toBe('stored ');
    await type(document, 'doc', COMPACT_AFTER);
    await store(document, 'doc');
    expect((await storage.loadDocument('doc')).updates).toEqual([unreadable]);
    expect(await storedText('doc')).toBe(`stored ${'a'.repeat(COMPACT_AFTER)}`);
  });
});

function textUpdate(text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}
