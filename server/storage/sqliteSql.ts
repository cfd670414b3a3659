import type Database from 'better-sqlite3';
import type { AsyncMutex } from './asyncMutex.ts';
import { toBytes } from './bytes.ts';
import type { SqlExecutor, SqlTransaction, SqlValue } from './sql.ts';
import { bindOrder, type TranslatedSql, translatePlaceholders } from './sqlitePlaceholders.ts';
import type { SqliteWriter } from './sqliteWriter.ts';
import { StorageError } from './storageError.ts';

/** Prepared statements kept per connection; older ones are dropped first beyond this many. */
const STATEMENT_CACHE = 200;

/** What the SQL facility needs from `SqliteStorage`. */
export interface SqliteSqlDeps {
  /** The one connection that writes (and runs transactions), on its worker thread. */
  readonly writer: SqliteWriter;
  /** A connection that only reads committed data, so reads never see an open transaction's rows. */
  readonly reader: Database.Database;
  /** Serialises every write on `writer`, whole transactions included. */
  readonly mutex: AsyncMutex;
  /**
   * Throws `STORAGE_CLOSED` once the storage is closing. Checked when a call is made, not when it leaves
   * the mutex queue: close() waits for queued writes, so a call made before close() still completes.
   */
  assertOpen(): void;
  /** Inserts log entries on `writer` without a transaction of its own; returns the highest id. */
  appendRows(doc: string, updates: readonly Uint8Array[]): Promise<number>;
}

/**
 * `Storage.sql` for SQLite. Read-only statements outside a transaction run on the reader connection (WAL:
 * committed data only, never blocked by a writer); every other statement and every transaction runs on the
 * writer behind the storage's write mutex. A transaction is `BEGIN IMMEDIATE` (it takes SQLite's write lock at
 * once, so it also excludes other processes) and holds the mutex until it commits or rolls back.
 */
export class SqliteSql implements SqlExecutor {
  private readonly statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
  private readonly translations = new Map<string, TranslatedSql>();

  constructor(private readonly deps: SqliteSqlDeps) {}

  async query<T extends object>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    this.deps.assertOpen();
    const translated = this.translate(text);
    const onReader = this.prepare(this.deps.reader, translated.text);
    if (onReader.readonly) return rowsOf<T>(onReader, bindOrder(translated, params));
    const values = bindOrder(translated, params) as SqlValue[];
    return this.deps.mutex.run(() => this.rowsOnWriter<T>(translated.text, values));
  }

  async execute(text: string, params: readonly SqlValue[] = []): Promise<number> {
    this.deps.assertOpen();
    const translated = this.translate(text);
    const values = bindOrder(translated, params) as SqlValue[];
    return this.deps.mutex.run(() => this.deps.writer.changes(translated.text, values));
  }

  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    try {
      this.deps.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.deps.mutex.run(() => this.scoped('BEGIN IMMEDIATE', 'COMMIT', 'ROLLBACK', fn, 0));
  }

  /** A statement on the writer, for code already holding the mutex (inside a transaction). */
  runOnWriter<T extends object>(text: string, params: readonly SqlValue[]): Promise<T[]> {
    const translated = this.translate(text);
    return this.rowsOnWriter<T>(translated.text, bindOrder(translated, params) as SqlValue[]);
  }

  /** Changes made by one statement on the writer, for code already holding the mutex. */
  run(text: string, params: readonly SqlValue[]): Promise<number> {
    const translated = this.translate(text);
    return this.deps.writer.changes(translated.text, bindOrder(translated, params) as SqlValue[]);
  }

  private async rowsOnWriter<T extends object>(sqliteText: string, values: SqlValue[]): Promise<T[]> {
    const rows = await this.deps.writer.rows(sqliteText, values);
    return plainBlobs(rows) as T[];
  }

  /** Opens a transaction or savepoint, runs `fn` with a handle valid until it settles, ends it. */
  async scoped<T>(
    begin: string,
    commit: string,
    rollback: string,
    fn: (tx: SqlTransaction) => Promise<T>,
    depth: number,
  ): Promise<T> {
    const writer = this.deps.writer;
    await writer.exec(begin);
    const tx = new SqliteTransaction(this, this.deps, depth);
    let result: T;
    try {
      result = await fn(tx);
    } catch (error) {
      tx.close();
      await writer.rollbackIfOpen(rollback);
      throw error;
    }
    tx.close();
    try {
      await writer.exec(commit);
    } catch (error) {
      await writer.rollbackIfOpen(rollback);
      throw error;
    }
    return result;
  }

  private translate(text: string): TranslatedSql {
    let translated = this.translations.get(text);
    if (!translated) {
      translated = translatePlaceholders(text);
      if (this.translations.size >= STATEMENT_CACHE) this.translations.clear();
      this.translations.set(text, translated);
    }
    return translated;
  }

  private prepare(db: Database.Database, text: string): Database.Statement {
    let cache = this.statements.get(db);
    if (!cache) {
      cache = new Map();
      this.statements.set(db, cache);
    }
    let statement = cache.get(text);
    if (!statement) {
      statement = db.prepare(text);
      if (cache.size >= STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      cache.set(text, statement);
    }
    return statement;
  }
}

/** The handle of one open SQLite transaction or savepoint; every call runs on the writer, in call order. */
class SqliteTransaction implements SqlTransaction {
  private closed = false;

  constructor(
    private readonly sql: SqliteSql,
    private readonly deps: SqliteSqlDeps,
    private readonly depth: number,
  ) {}

  close(): void {
    this.closed = true;
  }

  async query<T extends object>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    this.assertUsable();
    return this.sql.runOnWriter<T>(text, params);
  }

  async execute(text: string, params: readonly SqlValue[] = []): Promise<number> {
    this.assertUsable();
    return this.sql.run(text, params);
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    this.assertUsable();
    const name = `docbridge_sp${this.depth + 1}`;
    return this.sql.scoped(
      `SAVEPOINT ${name}`,
      `RELEASE ${name}`,
      `ROLLBACK TO ${name}; RELEASE ${name}`,
      fn,
      this.depth + 1,
    );
  }

  async appendUpdates(doc: string, updates: readonly Uint8Array[]): Promise<number> {
    this.assertUsable();
    return updates.length === 0 ? 0 : this.deps.appendRows(doc, updates);
  }

  private assertUsable(): void {
    if (this.closed) {
      throw new StorageError(
        'STORAGE_TRANSACTION_CLOSED',
        'transaction handle used after its transaction ended',
      );
    }
  }
}

/** Rows of a statement with BLOBs as plain Uint8Array views; statements without a result set give []. */
function rowsOf<T extends object>(statement: Database.Statement, values: unknown[]): T[] {
  if (!statement.reader) {
    statement.run(...values);
    return [];
  }
  return plainBlobs(statement.all(...values) as Record<string, unknown>[]) as T[];
}

/** Rows with every BLOB as a plain Uint8Array view (drivers and structured clone may hand back Buffers). */
function plainBlobs(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      const value = row[key];
      if (value instanceof Uint8Array) row[key] = toBytes(value);
    }
  }
  return rows;
}
