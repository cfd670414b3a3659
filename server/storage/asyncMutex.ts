/**
 * A FIFO async mutex. SQLite storage runs every write (appends, compaction writes, migrations, SQL writes and
 * whole async transactions) under one, because it has one writing connection: without it, a write issued
 * while an async transaction awaits would run inside that transaction and be rolled back with it.
 */
export class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every task queued earlier has settled; resolves or rejects with its result. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves once every task queued so far has settled. */
  idle(): Promise<void> {
    return this.run(() => undefined);
  }
}

const byDatabase = new Map<string, { mutex: AsyncMutex; users: number }>();

/**
 * The write mutex of one database file, shared by every `SqliteStorage` of this process that opens it.
 * Without sharing, a second instance's `BEGIN IMMEDIATE` would wait for SQLite's file lock (busy_timeout, on
 * its writer thread) while the first instance's transaction waits for the event loop to finish it: every
 * write of the second instance would stall for as long, or fail with SQLITE_BUSY after the timeout. Call
 * `release()` once the instance is closed.
 */
export function databaseWriteMutex(path: string): { mutex: AsyncMutex; release(): void } {
  let entry = byDatabase.get(path);
  if (!entry) {
    entry = { mutex: new AsyncMutex(), users: 0 };
    byDatabase.set(path, entry);
  }
  entry.users += 1;
  const held = entry;
  let released = false;
  return {
    mutex: held.mutex,
    release: () => {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0 && byDatabase.get(path) === held) byDatabase.delete(path);
    },
  };
}
