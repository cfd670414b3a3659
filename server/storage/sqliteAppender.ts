import type Database from 'better-sqlite3';
import { INSERT_UPDATE_SQL, insertUpdates, openWriteConnection } from './sqliteWriteConnection.ts';
import type { AppendEntry } from './sqliteWriterProtocol.ts';

/** When an append leaves the event loop for the writer thread. */
export interface AppenderLimits {
  /** Bytes of updates in one batch above which it goes to the writer thread (a large paste, an import). */
  maxBatchBytes: number;
  /**
   * When commits here take longer than this on average (a moving average, so one slow fsync, such as the file
   * growing, does not count; a slow or busy disk does), appends go to the writer thread...
   */
  slowCommitMs: number;
  /** ...for this long, after which the event loop tries again. */
  slowPauseMs: number;
  /** Commits here between two WAL checkpoints, which the writer thread runs (`checkpointDue`). */
  checkpointEvery: number;
}

export const defaultAppenderLimits: AppenderLimits = {
  maxBatchBytes: 256 * 1024,
  slowCommitMs: 5,
  slowPauseMs: 10_000,
  checkpointEvery: 200,
};

/**
 * The append connection on the event loop. On a healthy disk a small append's commit, fsync included, takes
 * a fraction of a millisecond, less than handing it to the writer thread costs: a message, waking that thread,
 * and waking the event loop again to send the acknowledgement (measured on the bench VM: 0.6-0.8 ms of CPU per
 * commit through the thread, 0.2-0.35 here). So small appends commit here, in the turn after the updates
 * arrived (their fan-out has left by then), and everything that could stall the loop goes to the writer
 * thread instead: large batches, every append for a while once commits here are slow, and any append while another
 * process holds the database's write lock (this connection never waits for a lock: busy_timeout 0).
 *
 * The caller serialises this connection with the writer thread's (the storage's write mutex), so within the
 * process the lock is always free here. WAL checkpoints, which copy pages into the database file and fsync it,
 * are not run on this connection (wal_autocheckpoint = 0): every `checkpointEvery` commits, `checkpointDue`
 * asks the writer thread for one.
 */
export class SqliteAppender {
  private db: Database.Database | null = null;
  private append: ((entries: readonly AppendEntry[]) => number[]) | null = null;
  private offLoopUntil = 0;
  /** Moving average of this connection's commit times (ms), each new one weighing a fifth. */
  private commitMs = 0;
  private sinceCheckpoint = 0;

  constructor(
    private readonly path: string,
    private readonly checkpointDue: () => void,
    private readonly limits: AppenderLimits = defaultAppenderLimits,
  ) {}

  /**
   * Commits `entries` (one IMMEDIATE transaction, fsynced) and returns the highest id per entry, or null,
   * having written nothing, when they should go to the writer thread. Throws the driver's other errors.
   */
  tryAppend(entries: readonly AppendEntry[]): number[] | null {
    if (performance.now() < this.offLoopUntil || batchBytes(entries) > this.limits.maxBatchBytes) return null;
    const append = this.transaction();
    const started = performance.now();
    let ids: number[];
    try {
      ids = append(entries);
    } catch (error) {
      // Another process writes (BEGIN IMMEDIATE found the lock taken): wait for it off the event loop.
      if (isBusy(error)) return null;
      throw error;
    }
    this.commitMs += (performance.now() - started - this.commitMs) / 5;
    if (this.commitMs > this.limits.slowCommitMs) {
      this.offLoopUntil = performance.now() + this.limits.slowPauseMs;
    }
    if (++this.sinceCheckpoint >= this.limits.checkpointEvery) {
      this.sinceCheckpoint = 0;
      this.checkpointDue();
    }
    return ids;
  }

  close(): void {
    this.db?.close();
    this.db = null;
    this.append = null;
  }

  /** Opened on first use: by then the storage has migrated, so the table exists. */
  private transaction(): (entries: readonly AppendEntry[]) => number[] {
    if (this.append) return this.append;
    const db = openWriteConnection(this.path, 0);
    try {
      db.pragma('wal_autocheckpoint = 0');
      const insert = db.prepare(INSERT_UPDATE_SQL);
      const write = db.transaction((entries: readonly AppendEntry[]) => insertUpdates(insert, entries));
      this.db = db;
      this.append = (entries) => write.immediate(entries);
    } catch (error) {
      db.close();
      throw error;
    }
    return this.append;
  }
}

function batchBytes(entries: readonly AppendEntry[]): number {
  let bytes = 0;
  for (const { updates } of entries) for (const update of updates) bytes += update.byteLength;
  return bytes;
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
