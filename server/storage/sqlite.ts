import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { type AsyncMutex, databaseWriteMutex } from './asyncMutex.ts';
import { toBytes } from './bytes.ts';
import { KeyedQueue } from './keyedQueue.ts';
import { createMigrationsTable, pendingMigrations } from './migrations.ts';
import type { SqlExecutor } from './sql.ts';
import { SqliteSql } from './sqliteSql.ts';
import type { CompactionResult, MergeFunction, Storage, StoredDocument } from './storage.ts';
import { StorageError } from './storageError.ts';

/** How often a compaction re-reads after another connection compacted the same document meanwhile. */
const MAX_COMPACTION_ATTEMPTS = 5;
const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

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
 * been fsynced and survives kill -9 and power loss. better-sqlite3 is synchronous; the methods stay
 * async to honour the `Storage` contract. Compaction never holds a write transaction while `merge`
 * runs: it reads, merges, then writes in a short IMMEDIATE transaction that checks the snapshot did
 * not move meanwhile (another connection or process compacted) and retries if it did.
 *
 * Two connections: every write (appends, compaction writes, migrations, `sql` writes and whole async `sql`
 * transactions) runs on the writer behind one async mutex (shared by every instance of this process on the
 * same file: see `databaseWriteMutex`), so nothing can slip into an open transaction;
 * reads run on a second, query-only connection that sees committed data only (WAL), so a load never
 * returns rows a transaction might still roll back, and never waits for one.
 */
export class SqliteStorage implements Storage {
  readonly kind = 'sqlite';
  /** Lets repositories (server/admin/) run portable SQL and transactions on this database. */
  readonly sql: SqlExecutor;
  private readonly db: Database.Database;
  private readonly reader: Database.Database;
  private readonly writes: AsyncMutex;
  private readonly releaseWrites: () => void;
  private readonly compactions = new KeyedQueue();
  private closing: Promise<void> | null = null;

  /** Opens (creating it and its directory if needed) the database file at `path`. */
  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    const lock = databaseWriteMutex(resolve(path));
    this.writes = lock.mutex;
    this.releaseWrites = lock.release;
    this.reader = new Database(path);
    this.reader.pragma('busy_timeout = 5000');
    this.reader.pragma('query_only = ON');
    this.sql = new SqliteSql({
      writer: this.db,
      reader: this.reader,
      mutex: this.writes,
      assertOpen: () => this.openDb(),
      appendRows: (doc, updates) => this.appendRows(doc, updates),
    });
  }

  async migrate(): Promise<void> {
    this.openDb();
    return this.writes.run(() => this.migrateNow());
  }

  private migrateNow(): void {
    const db = this.db;
    db.exec(createMigrationsTable);
    for (;;) {
      // Re-read inside each IMMEDIATE transaction: another process may have migrated meanwhile.
      const applied = db.transaction(() => {
        const done = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all();
        const next = pendingMigrations(done.map((row) => row.version))[0];
        if (!next) return false;
        try {
          db.exec(next.sqlite);
        } catch (error) {
          throw new StorageError(
            'STORAGE_MIGRATION_FAILED',
            `SQLite migration ${next.version} (${next.name}) failed`,
            { cause: error },
          );
        }
        db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ${NOW})`).run(
          next.version,
          next.name,
        );
        return true;
      });
      if (!applied.immediate()) return;
    }
  }

  async appendUpdates(doc: string, updates: Uint8Array[]): Promise<number> {
    const db = this.openDb();
    if (updates.length === 0) return 0;
    return this.writes.run(() => db.transaction(() => this.appendRows(doc, updates)).immediate());
  }

  /** Inserts log entries in list order on the writer, inside whatever transaction is open there. */
  private appendRows(doc: string, updates: readonly Uint8Array[]): number {
    const insert = this.db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
    let last = 0;
    for (const update of updates) last = Number(insert.run(doc, update).lastInsertRowid);
    return last;
  }

  async loadDocument(doc: string): Promise<StoredDocument> {
    this.openDb();
    const read = this.readDocument(doc);
    const lastId = read.log.at(-1)?.id ?? 0;
    return {
      snapshot: read.snapshot ? toBytes(read.snapshot.state) : null,
      updates: read.log.map((row) => toBytes(row.data)),
      upTo: Math.max(read.snapshot?.up_to ?? 0, lastId),
    };
  }

  async logLength(doc: string): Promise<number> {
    this.openDb();
    const row = this.reader
      .prepare<[string], { n: number }>('SELECT count(*) AS n FROM doc_updates WHERE doc = ?')
      .get(doc);
    return row?.n ?? 0;
  }

  compact(doc: string, merge: MergeFunction): Promise<CompactionResult> {
    try {
      this.openDb();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.compactions.run(doc, () => this.compactNow(doc, merge));
  }

  async ping(): Promise<void> {
    this.openDb();
    this.reader.prepare('SELECT 1').get();
  }

  close(): Promise<void> {
    this.closing ??= this.compactions
      .idle()
      .then(() => this.writes.idle())
      .then(() => {
        this.reader.close();
        this.db.close();
        this.releaseWrites();
      });
    return this.closing;
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
      const folded = await this.writes.run(() =>
        this.replaceSnapshot(doc, snapshot?.up_to ?? null, state, last.id),
      );
      if (folded !== null) return { folded };
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

  /**
   * Writes the new snapshot and deletes the entries folded into it (ids up to `lastId`: SQLite
   * serialises writers, so every entry with a lower id was committed before the read). Returns null,
   * writing nothing, when the snapshot moved since `expectedUpTo` was read.
   */
  private replaceSnapshot(
    doc: string,
    expectedUpTo: number | null,
    state: Uint8Array,
    lastId: number,
  ): number | null {
    const db = this.db;
    const write = db.transaction(() => {
      const current = db
        .prepare<[string], { up_to: number }>('SELECT up_to FROM doc_snapshots WHERE doc = ?')
        .get(doc);
      if ((current?.up_to ?? null) !== expectedUpTo) return null;
      db.prepare<[string, Uint8Array, number]>(
        `INSERT INTO doc_snapshots (doc, state, up_to, updated_at) VALUES (?, ?, ?, ${NOW})
         ON CONFLICT (doc) DO UPDATE SET
           state = excluded.state, up_to = excluded.up_to, updated_at = excluded.updated_at`,
      ).run(doc, state, lastId);
      return db
        .prepare<[string, number]>('DELETE FROM doc_updates WHERE doc = ? AND id <= ?')
        .run(doc, lastId).changes;
    });
    return write.immediate();
  }

  /** Entry check of every public call; internals use `this.db`, which close() keeps open until idle. */
  private openDb(): Database.Database {
    if (this.closing) throw new StorageError('STORAGE_CLOSED', 'SQLite storage is closed');
    return this.db;
  }
}
