import type pg from 'pg';
import { toBytes } from './bytes.ts';
import { insertLogChunked, inTransaction, markUnusable, withClient } from './postgresClient.ts';
import { type SqlExecutor, type SqlTransaction, type SqlValue, safeNumber } from './sql.ts';
import { StorageError } from './storageError.ts';

/** PostgreSQL type OIDs normalised at the edge. */
const INT8_OID = 20;
const BYTEA_OID = 17;

/** What the SQL facility needs from `PostgresStorage`. */
export interface PostgresSqlDeps {
  readonly pool: pg.Pool;
  /** Checks the storage is open, then checks out a client. */
  connect(): Promise<pg.PoolClient>;
}

/**
 * `Storage.sql` for PostgreSQL. Statements outside a transaction go to the pool; a transaction checks out one
 * client for its whole life (BEGIN ... COMMIT), nested ones are savepoints on that client. BIGINT columns
 * come back as JS numbers and BYTEA as plain Uint8Array views, like SQLite's.
 */
export class PostgresSql implements SqlExecutor {
  constructor(private readonly deps: PostgresSqlDeps) {}

  async query<T extends object>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    const client = await this.deps.connect();
    return withClient(client, async () => rowsOf<T>(await client.query(text, [...params])));
  }

  async execute(text: string, params: readonly SqlValue[] = []): Promise<number> {
    const client = await this.deps.connect();
    return withClient(client, async () => (await client.query(text, [...params])).rowCount ?? 0);
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    const client = await this.deps.connect();
    return withClient(client, () => inTransaction(client, () => runScoped(client, fn, 0)));
  }
}

/** Runs `fn` with a handle that stops working once `fn` settles (the caller commits or rolls back). */
async function runScoped<T>(
  client: pg.PoolClient,
  fn: (tx: SqlTransaction) => Promise<T>,
  depth: number,
): Promise<T> {
  const tx = new PostgresTransaction(client, depth);
  try {
    return await fn(tx);
  } finally {
    tx.close();
  }
}

/** The handle of one open PostgreSQL transaction or savepoint on its checked-out client. */
class PostgresTransaction implements SqlTransaction {
  private closed = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly depth: number,
  ) {}

  close(): void {
    this.closed = true;
  }

  async query<T extends object>(text: string, params: readonly SqlValue[] = []): Promise<T[]> {
    this.assertUsable();
    return rowsOf<T>(await this.client.query(text, [...params]));
  }

  async execute(text: string, params: readonly SqlValue[] = []): Promise<number> {
    this.assertUsable();
    return (await this.client.query(text, [...params])).rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T> {
    this.assertUsable();
    const name = `docbridge_sp${this.depth + 1}`;
    await this.client.query(`SAVEPOINT ${name}`);
    let result: T;
    try {
      result = await runScoped(this.client, fn, this.depth + 1);
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`).catch(() => markUnusable(this.client));
      throw error;
    }
    await this.client.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  }

  async appendUpdates(doc: string, updates: readonly Uint8Array[]): Promise<number> {
    this.assertUsable();
    const ids = await insertLogChunked(this.client, doc, updates);
    return ids.reduce((max, id) => Math.max(max, id), 0);
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

/** Result rows with BIGINT as exact JS numbers and BYTEA as Uint8Array views. */
function rowsOf<T extends object>(result: pg.QueryResult): T[] {
  const fields = result.fields ?? [];
  const int8 = fields.filter((field) => field.dataTypeID === INT8_OID).map((field) => field.name);
  const bytea = fields.filter((field) => field.dataTypeID === BYTEA_OID).map((field) => field.name);
  const rows = result.rows as Record<string, unknown>[];
  if (int8.length === 0 && bytea.length === 0) return rows as T[];
  for (const row of rows) {
    for (const name of int8) {
      const value = row[name];
      if (typeof value === 'string') row[name] = safeNumber(value);
    }
    for (const name of bytea) {
      const value = row[name];
      if (value instanceof Uint8Array) row[name] = toBytes(value);
    }
  }
  return rows as T[];
}
