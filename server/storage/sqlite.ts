import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type AsyncMutex, databaseWriteMutex } from './asyncMutex.ts';
import { toBytes } from './bytes.ts';
import { GroupCommit } from './groupCommit.ts';
import { KeyedQueue } from './keyedQueue.ts';
import { createMigrationsTable, migrations } from './migrations.ts';
import type { SqlExecutor } from './sql.ts';
import { type AppenderLimits, SqliteAppender } from './sqliteAppender.ts';
import { SqliteSql } from './sqliteSql.ts';
import { SqliteWriter } from './sqliteWriter.ts';
import type { AppendEntry } from './sqliteWriterProtocol.ts';
import type { CompactionResult, MergeFunction, StateBasis, Storage, StoredDocument } from './storage.ts';
import { StorageError } from './storageError.ts';

/** How often a compaction re-reads after another connection compacted the same document meanwhile. */
const MAX_COMPACTION_ATTEMPTS = 5;

interface SnapshotRow {
  state: Buffer;
  up_to: number;
}
interface LogRow {
  id: number;
  data: Buffer;
}

/**
 * The default back end: one SQLite file in WAL mode with `synchronous = FULL`, so a resolved append has
 * been fsynced and survives kill -9 and power loss. Compaction never holds a write transaction while `merge`
 * runs: it reads, merges, then writes in a short IMMEDIATE transaction that checks the snapshot did
 * not move meanwhile (another connection or process compacted) and retries if it did.
 *
 * Three connections. The writer lives in a worker thread (`SqliteWriter`): better-sqlite3 is synchronous, and
 * a long transaction, a compaction or a commit on a slow disk on the event loop would delay every update being
 * fanned out meanwhile. Small appends are the exception: they commit on the event loop on a connection of
 * their own (`SqliteAppender`), which costs less than the hand-off to the thread on a healthy disk. Every write
 * (appends, compaction writes, migrations, `sql` writes and whole async `sql` transactions) runs behind one
 * async mutex (shared by every instance of this process on the same file: see `databaseWriteMutex`), so
 * nothing can slip into an open transaction and only one connection writes at a time. Appends of all
 * documents that arrive while the mutex is busy, or within the commit spacing, are committed together, one
 * transaction and one fsync (`GroupCommit`). Reads run on the main thread on a query-only connection that
 * sees committed data only (WAL), so a load never returns rows a transaction might still roll back, and never
 * waits for one.
 */
export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  /** Lets repositories (server/admin/) run portable SQL and transactions on this database. */
  readonly sql: SqlExecutor;
  private readonly writer: SqliteWriter;
  private readonly reader: Database.Database;
  private readonly appends: GroupCommit<AppendEntry, number>;
  private readonly appender: SqliteAppender;
  private readonly writes: AsyncMutex;
  private readonly releaseWrites: () => void;
  private readonly compactions = new KeyedQueue();
  private countLog: Database.Statement<[string], { n: number }> | null = null;
  private closing: Promise<void> | null = null;

  readonly groupsAppends = true;
  /** Where append commits ran: on the event loop (`SqliteAppender`) or on the writer thread. */
  readonly commits = { eventLoop: 0, writerThread: 0 };

  /**
   * Opens (creating it and its directory if needed) the database file at `path`. `commitSpacingMs`: the
   * shortest time between the starts of two append commits (`GroupCommit`; the server's
   * `DOCBRIDGE_COMMIT_SPACING_MS`), 0 for a commit per event-loop turn.
   */
  constructor(
    readonly path: string,
    options: { commitSpacingMs?: number | undefined; appender?: AppenderLimits } = {},
  ) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    // Creates the file and switches it to WAL (a persistent setting) before the reader goes query-only.
    this.reader = new Database(path);
    try {
      this.reader.pragma('busy_timeout = 5000');
      this.reader.pragma('journal_mode = WAL');
      this.reader.pragma('query_only = ON');
    } catch (error) {
      this.reader.close();
      throw error;
    }
    const lock = databaseWriteMutex(resolve(path));
    this.writes = lock.mutex;
    this.releaseWrites = lock.release;
    this.writer = new SqliteWriter(path);
    const writer = this.writer;
    this.appender = new SqliteAppender(path, () => this.checkpoint(), options.appender);
    // A commit waits, holding the write mutex, for the end of the current event-loop turn before it takes its
    // batch: updates read in the same turn share it, and Hocuspocus' fan-out of those updates (queued with
    // setImmediate before this) leaves before the commit's fsync is paid for.
    this.appends = new GroupCommit(
      (entries) => this.commitAppends(entries),
      (task) => this.writes.run(() => nextTurn().then(task)),
      options.commitSpacingMs ?? 0,
    );
    this.sql = new SqliteSql({
      writer,
      reader: this.reader,
      mutex: this.writes,
      assertOpen: () => this.openDb(),
      appendRows: async (doc, updates) => (await writer.append([{ doc, updates }], true))[0]!,
    });
  }

  async migrate(): Promise<void> {
    this.openDb();
    const sqlite = migrations.map(({ version, name, sqlite }) => ({ version, name, sql: sqlite }));
    return this.writes.run(() => this.writer.migrate(createMigrationsTable, sqlite));
  }

  async appendUpdates(doc: string, updates: Uint8Array[], arrivedAt?: number): Promise<number[]> {
    this.openDb();
    if (updates.length === 0) return [];
    const last = await this.appends.add({ doc, updates }, arrivedAt);
    // One connection inserts an entry's updates one after another in one transaction: consecutive ids.
    return updates.map((_, i) => last - updates.length + 1 + i);
  }

  async loadDocument(doc: string): Promise<StoredDocument> {
    this.openDb();
    const read = this.readDocument(doc);
    const lastId = read.log.at(-1)?.id ?? 0;
    return {
      snapshot: read.snapshot ? toBytes(read.snapshot.state) : null,
      updates: read.log.map((row) => toBytes(row.data)),
      ids: read.log.map((row) => row.id),
      upTo: Math.max(read.snapshot?.up_to ?? 0, lastId),
      snapshotUpTo: read.snapshot?.up_to ?? null,
    };
  }

  async logLength(doc: string): Promise<number> {
    this.openDb();
    // Asked for every edited document at each of Hocuspocus' debounced stores: prepared once.
    this.countLog ??= this.reader.prepare<[string], { n: number }>(
      'SELECT count(*) AS n FROM doc_updates WHERE doc = ?',
    );
    return this.countLog.get(doc)?.n ?? 0;
  }

  compact(doc: string, merge: MergeFunction): Promise<CompactionResult> {
    try {
      this.openDb();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.compactions.run(doc, () => this.compactNow(doc, merge));
  }

  async compactFromState(
    doc: string,
    state: Uint8Array,
    basis: StateBasis,
  ): Promise<(CompactionResult & { upTo: number }) | null> {
    this.openDb();
    const ids = [...basis.ids];
    return this.compactions.run(doc, () =>
      this.writes.run(() => this.writer.replaceSnapshot(doc, basis.snapshotUpTo, state, { ids })),
    );
  }

  async ping(): Promise<void> {
    this.openDb();
    this.reader.prepare('SELECT 1').get();
  }

  close(): Promise<void> {
    this.closing ??= this.appends
      .idle()
      .then(() => this.compactions.idle())
      .then(() => this.writes.idle())
      .then(() => this.writer.close())
      .finally(() => {
        this.appender.close();
        this.reader.close();
        this.releaseWrites();
      });
    return this.closing;
  }

  /** Commits a batch of appends on the event loop when the appender takes it, else on the writer thread. */
  private commitAppends(entries: AppendEntry[]): Promise<number[]> {
    let ids: number[] | null;
    try {
      ids = this.appender.tryAppend(entries);
    } catch (error) {
      return Promise.reject(error);
    }
    if (ids) {
      this.commits.eventLoop += 1;
      return Promise.resolve(ids);
    }
    this.commits.writerThread += 1;
    return this.writer.append(entries, false);
  }

  /**
   * A passive WAL checkpoint on the writer thread, for the appender's commits (its own connection never
   * checkpoints). Behind the write mutex: a checkpoint cannot run inside a transaction open on that connection.
   * A failed one only leaves the WAL longer until the next; the writer's own commits checkpoint too.
   */
  private checkpoint(): void {
    this.writes.run(() => this.writer.exec('PRAGMA wal_checkpoint(PASSIVE)')).catch(() => undefined);
  }

  private async compactNow(doc: string, merge: MergeFunction): Promise<CompactionResult> {
    for (let attempt = 1; attempt <= MAX_COMPACTION_ATTEMPTS; attempt++) {
      const { snapshot, log } = this.readDocument(doc);
      const last = log.at(-1);
      if (!last) return { folded: 0 };
      const state = await merge(
        snapshot ? toBytes(snapshot.state) : null,
        log.map((row) => toBytes(row.data)),
      );
      // Writes the snapshot and deletes the entries folded into it (ids up to `last.id`: SQLite serialises
      // writers, so every entry with a lower id was committed before the read); null, writing nothing, when
      // the snapshot moved since it was read.
      const written = await this.writes.run(() =>
        this.writer.replaceSnapshot(doc, snapshot?.up_to ?? null, state, { lastId: last.id }),
      );
      if (written !== null) return { folded: written.folded };
    }
    throw new StorageError(
      'STORAGE_COMPACTION_CONFLICT',
      `compaction of a document lost ${MAX_COMPACTION_ATTEMPTS} races with other compactions`,
    );
  }

  /**
   * Snapshot row and every log entry, read in one transaction (one consistent WAL snapshot) on the reader:
   * committed rows only, never those of a transaction still open on the writer.
   */
  private readDocument(doc: string): { snapshot: SnapshotRow | undefined; log: LogRow[] } {
    const db = this.reader;
    const snapshotStmt = db.prepare<[string], SnapshotRow>(
      'SELECT state, up_to FROM doc_snapshots WHERE doc = ?',
    );
    const logStmt = db.prepare<[string], LogRow>(
      'SELECT id, data FROM doc_updates WHERE doc = ? ORDER BY id',
    );
    return db.transaction(() => ({ snapshot: snapshotStmt.get(doc), log: logStmt.all(doc) }))();
  }

  /** Entry check of every public call; close() keeps the connections open until queued work is done. */
  private openDb(): void {
    if (this.closing) throw new StorageError('STORAGE_CLOSED', 'SQLite storage is closed');
  }
}

/** Resolves in the check phase of the current event-loop turn, after callbacks already queued there. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
