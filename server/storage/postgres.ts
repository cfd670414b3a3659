import pg from 'pg';
import { toBytes } from './bytes.ts';
import { KeyedQueue } from './keyedQueue.ts';
import { createMigrationsTable, pendingMigrations } from './migrations.ts';
import {
  APPEND_CHUNK,
  insertLog,
  insertLogChunked,
  inTransaction,
  toId,
  withClient,
} from './postgresClient.ts';
import { PostgresSql } from './postgresSql.ts';
import { nextUpTo } from './snapshotUpTo.ts';
import type { SqlExecutor } from './sql.ts';
import type { CompactionResult, MergeFunction, StateBasis, Storage, StoredDocument } from './storage.ts';
import { StorageError } from './storageError.ts';

/** First key of every advisory lock Docbridge storage takes, so they never collide with other apps. */
const LOCK_NAMESPACE = `hashtext('docbridge.storage')`;
/** Second key of the migration lock; compaction locks use hashtext(doc), migrations use this constant. */
const MIGRATION_LOCK_KEY = 0;

/** Options beyond the connection string; the defaults suit one server process. */
export interface PostgresStorageOptions {
  /** Pool size (default 10). */
  max?: number;
  /** How long to wait for a connection before rejecting (default 5000 ms), so /healthz never hangs. */
  connectionTimeoutMillis?: number;
  /**
   * Called when an idle pooled connection fails (database restart, network cut). The pool drops that
   * connection and opens a new one on next use; without a listener Node would crash on the 'error' event.
   */
  onIdleError?: (error: Error) => void;
}

/**
 * The back end for several server instances: a `pg` Pool on one database. Compactions of a document
 * are serialised across processes by a transaction-scoped advisory lock and delete exactly the ids they
 * read, so appends that commit late (a lower BIGSERIAL id after a higher one) are never lost. Loads
 * read snapshot and log in one statement, hence one consistent MVCC snapshot.
 */
export class PostgresStorage implements Storage {
  readonly kind = 'postgres';
  /** Lets repositories (server/admin/) run portable SQL and transactions (a pooled client each). */
  readonly sql: SqlExecutor;
  private readonly pool: pg.Pool;
  private readonly compactions = new KeyedQueue();
  private closing: Promise<void> | null = null;

  constructor(connectionString: string, options: PostgresStorageOptions = {}) {
    this.pool = new pg.Pool({
      connectionString,
      max: options.max ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
      application_name: 'docbridge',
    });
    this.pool.on('error', (error) => options.onIdleError?.(error));
    this.sql = new PostgresSql({ pool: this.pool, connect: () => this.connect() });
  }

  async migrate(): Promise<void> {
    const client = await this.connect();
    try {
      // Session lock: concurrent migrate() calls (several instances starting) run one after another.
      await client.query(`SELECT pg_advisory_lock(${LOCK_NAMESPACE}, ${MIGRATION_LOCK_KEY})`);
      try {
        await client.query(createMigrationsTable);
        const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
        for (const migration of pendingMigrations(done.rows.map((row) => row.version))) {
          await inTransaction(client, async () => {
            await client.query(migration.postgres).catch((error: unknown) => {
              throw new StorageError(
                'STORAGE_MIGRATION_FAILED',
                `PostgreSQL migration ${migration.version} (${migration.name}) failed`,
                { cause: error },
              );
            });
            await client.query(
              `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now()::text)`,
              [migration.version, migration.name],
            );
          });
        }
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${LOCK_NAMESPACE}, ${MIGRATION_LOCK_KEY})`);
      }
      client.release();
    } catch (error) {
      // A connection in an unknown state (lock possibly still held) is destroyed, not reused.
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  async appendUpdates(doc: string, updates: Uint8Array[]): Promise<number[]> {
    this.assertOpen();
    if (updates.length === 0) return [];
    if (updates.length <= APPEND_CHUNK) return insertLog(this.pool, doc, updates);
    const client = await this.connect();
    return withClient(client, () => inTransaction(client, () => insertLogChunked(client, doc, updates)));
  }

  async loadDocument(doc: string): Promise<StoredDocument> {
    this.assertOpen();
    // One statement, one MVCC snapshot: a compaction committing meanwhile is seen entirely or not at all.
    const result = await this.pool.query<{ snapshot: boolean; id: string; data: Buffer }>(
      `SELECT true AS snapshot, up_to AS id, state AS data FROM doc_snapshots WHERE doc = $1
       UNION ALL
       SELECT false, id, data FROM doc_updates WHERE doc = $1
       ORDER BY snapshot DESC, id`,
      [doc],
    );
    const stored: StoredDocument = { snapshot: null, updates: [], ids: [], upTo: 0, snapshotUpTo: null };
    for (const row of result.rows) {
      const id = toId(row.id);
      if (row.snapshot) {
        stored.snapshot = toBytes(row.data);
        stored.snapshotUpTo = id;
      } else {
        stored.updates.push(toBytes(row.data));
        stored.ids.push(id);
      }
      stored.upTo = Math.max(stored.upTo, id);
    }
    return stored;
  }

  async logLength(doc: string): Promise<number> {
    this.assertOpen();
    const result = await this.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM doc_updates WHERE doc = $1',
      [doc],
    );
    return result.rows[0]?.n ?? 0;
  }

  compact(doc: string, merge: MergeFunction): Promise<CompactionResult> {
    try {
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    // The in-process queue spares a pooled connection waiting on the advisory lock held by a sibling.
    return this.compactions.run(doc, () => this.compactNow(doc, merge));
  }

  async compactFromState(
    doc: string,
    state: Uint8Array,
    basis: StateBasis,
  ): Promise<(CompactionResult & { upTo: number }) | null> {
    this.assertOpen();
    const ids = [...basis.ids];
    return this.compactions.run(doc, () =>
      this.lockedCompaction(doc, async (client, previous) => {
        if ((previous ? toId(previous.up_to) : null) !== basis.snapshotUpTo) return null;
        return this.replaceSnapshot(client, doc, state, basis.snapshotUpTo, ids);
      }),
    );
  }

  async ping(): Promise<void> {
    this.assertOpen();
    try {
      await this.pool.query('SELECT 1');
    } catch (error) {
      throw new StorageError('STORAGE_UNAVAILABLE', 'PostgreSQL did not answer', { cause: error });
    }
  }

  close(): Promise<void> {
    this.closing ??= this.compactions.idle().then(() => this.pool.end());
    return this.closing;
  }

  private compactNow(doc: string, merge: MergeFunction): Promise<CompactionResult> {
    return this.lockedCompaction(doc, async (client, previous) => {
      const log = await client.query<{ id: string; data: Buffer }>(
        'SELECT id, data FROM doc_updates WHERE doc = $1 ORDER BY id',
        [doc],
      );
      if (log.rows.length === 0) return { folded: 0 };
      const state = await merge(
        previous ? toBytes(previous.state) : null,
        log.rows.map((row) => toBytes(row.data)),
      );
      // Exactly the entries read: by id list, not by range, so a late-committing lower id survives.
      const ids = log.rows.map((row) => toId(row.id));
      const { folded } = await this.replaceSnapshot(
        client,
        doc,
        state,
        previous ? toId(previous.up_to) : null,
        ids,
      );
      return { folded };
    });
  }

  /**
   * Runs `body` in a transaction holding the document's compaction lock (an advisory lock, so also across
   * instances), with the snapshot row as it is once the lock is held.
   */
  private async lockedCompaction<T>(
    doc: string,
    body: (client: pg.PoolClient, snapshot: { state: Buffer; up_to: string } | undefined) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    return withClient(client, () =>
      inTransaction(client, async () => {
        await client.query(`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, hashtext($1))`, [doc]);
        // Read after taking the lock: a compaction that held it has committed and is visible now.
        const snapshot = await client.query<{ state: Buffer; up_to: string }>(
          'SELECT state, up_to FROM doc_snapshots WHERE doc = $1',
          [doc],
        );
        return body(client, snapshot.rows[0]);
      }),
    );
  }

  /** Writes `state` as the snapshot and deletes exactly the entries `ids`, inside the caller's transaction. */
  private async replaceSnapshot(
    client: pg.PoolClient,
    doc: string,
    state: Uint8Array,
    previousUpTo: number | null,
    ids: number[],
  ): Promise<CompactionResult & { upTo: number }> {
    const upTo = nextUpTo(previousUpTo, { ids });
    await client.query(
      `INSERT INTO doc_snapshots (doc, state, up_to, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (doc) DO UPDATE SET
         state = excluded.state, up_to = excluded.up_to, updated_at = excluded.updated_at`,
      [doc, state, upTo],
    );
    const deleted = await client.query('DELETE FROM doc_updates WHERE doc = $1 AND id = ANY($2::bigint[])', [
      doc,
      ids,
    ]);
    return { folded: deleted.rowCount ?? 0, upTo };
  }

  private async connect(): Promise<pg.PoolClient> {
    this.assertOpen();
    return this.pool.connect();
  }

  private assertOpen(): void {
    if (this.closing) throw new StorageError('STORAGE_CLOSED', 'PostgreSQL storage is closed');
  }
}
