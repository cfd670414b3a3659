import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableQueue } from '../../server/collab/durableQueue.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import { type AppenderLimits, defaultAppenderLimits } from '../../server/storage/sqliteAppender.ts';

/** Where SQLite appends commit: on the event loop when that is cheap and safe, else on the writer thread. */
describe('SqliteStorage append commits', () => {
  let dir: string;
  let storage: SqliteStorage | null = null;
  const open = async (limits: Partial<AppenderLimits> = {}, commitSpacingMs = 0) => {
    storage = new SqliteStorage(join(dir, 'docbridge.db'), {
      commitSpacingMs,
      // A busy test machine may take longer than the default limit for a commit: not what these tests are about.
      appender: { ...defaultAppenderLimits, slowCommitMs: 60_000, ...limits },
    });
    await storage.migrate();
    return storage;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'docbridge-sqlite-appends-'));
  });
  afterEach(async () => {
    await storage?.close();
    storage = null;
    await rm(dir, { recursive: true, force: true });
  });

  it('commits small appends on the event loop, readable at once by the reader', async () => {
    const s = await open();
    const ids = [];
    for (let n = 0; n < 5; n++) ids.push(...(await s.appendUpdates('dept-a/doc', [Uint8Array.of(n)])));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(s.commits).toEqual({ eventLoop: 5, writerThread: 0 });
    const stored = await s.loadDocument('dept-a/doc');
    expect(stored.updates).toEqual([0, 1, 2, 3, 4].map((n) => Uint8Array.of(n)));
    expect(stored.upTo).toBe(ids.at(-1));
  });

  it('with spaced commits, a document’s updates that arrive while its append waits join that commit', async () => {
    // A spacing far longer than the test takes to push: the second and third updates arrive while the second
    // waits for its commit. The document's queue hands the third over at once (the storage groups appends),
    // so one commit carries both, not one commit and then another for the update held back behind it.
    const s = await open({}, 1_000);
    const queue = new DurableQueue(
      (updates, arrivedAt) => s.appendUpdates('dept-a/doc', updates, arrivedAt).then(() => undefined),
      {},
      { pipelined: s.groupsAppends },
    );
    queue.push(Uint8Array.of(1));
    await queue.whenDurable();
    expect(s.commits.eventLoop).toBe(1);
    queue.push(Uint8Array.of(2));
    queue.push(Uint8Array.of(3));
    await queue.whenDurable();
    expect(s.commits).toEqual({ eventLoop: 2, writerThread: 0 });
    expect((await s.loadDocument('dept-a/doc')).updates).toEqual([1, 2, 3].map((n) => Uint8Array.of(n)));
  });

  it('sends a batch larger than the limit to the writer thread', async () => {
    const s = await open({ maxBatchBytes: 1024 });
    await s.appendUpdates('dept-a/doc', [new Uint8Array(100)]);
    await s.appendUpdates('dept-a/doc', [new Uint8Array(600), new Uint8Array(600)]);
    expect(s.commits).toEqual({ eventLoop: 1, writerThread: 1 });
    expect((await s.loadDocument('dept-a/doc')).updates.map((u) => u.byteLength)).toEqual([100, 600, 600]);
  });

  it('waits for another process’s write lock on the writer thread, never on the event loop', async () => {
    const s = await open();
    const other = new Database(join(dir, 'docbridge.db'));
    try {
      other.exec('BEGIN IMMEDIATE');
      let turns = 0;
      const ticker = setInterval(() => (turns += 1), 10);
      const appended = s.appendUpdates('dept-a/doc', [Uint8Array.of(7)]);
      let done = false;
      void appended.then(() => (done = true));
      // The lock is held for a while: the event loop keeps turning and the append waits.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      // A loop blocked on the lock would tick once at most (an interval never fires twice in one turn); a
      // loaded CI machine gave 3 ticks of 30 in that time, so the bound stays at that one-tick line.
      expect(turns).toBeGreaterThan(1);
      other.exec('COMMIT');
      clearInterval(ticker);
      await appended;
      expect(s.commits).toEqual({ eventLoop: 0, writerThread: 1 });
      // The next append finds the lock free and commits on the event loop again.
      await s.appendUpdates('dept-a/doc', [Uint8Array.of(8)]);
      expect(s.commits).toEqual({ eventLoop: 1, writerThread: 1 });
      expect((await s.loadDocument('dept-a/doc')).updates).toEqual([Uint8Array.of(7), Uint8Array.of(8)]);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });

  it('after a slow commit, sends appends to the writer thread for a while', async () => {
    // Every commit counts as slow (it takes longer than -1 ms).
    const s = await open({ slowCommitMs: -1, slowPauseMs: 60_000 });
    for (let n = 0; n < 3; n++) await s.appendUpdates('dept-a/doc', [Uint8Array.of(n)]);
    expect(s.commits).toEqual({ eventLoop: 1, writerThread: 2 });
    expect((await s.loadDocument('dept-a/doc')).updates).toHaveLength(3);
  });

  it('keeps the WAL from growing: the writer thread checkpoints what the event loop committed', async () => {
    const s = await open({ checkpointEvery: 20 });
    const update = new Uint8Array(2000);
    for (let n = 0; n < 300; n++) await s.appendUpdates('dept-a/doc', [update]);
    expect(s.commits.eventLoop).toBe(300);
    // Without checkpoints the WAL holds every page written (300 commits x at least 2 pages of 4 KiB: over 2 MiB);
    // checkpointed every 20 commits, it is rewritten from its start and stays near 20 commits' worth.
    const walBytes = statSync(join(dir, 'docbridge.db-wal')).size;
    expect(walBytes).toBeLessThan(1024 * 1024);
    expect((await s.loadDocument('dept-a/doc')).updates).toHaveLength(300);
  });
});
