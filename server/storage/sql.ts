/**
 * The portable SQL facility both back ends expose as `Storage.sql`, so repositories (server/admin/) are
 * written once. SQL text uses PostgreSQL's `$1..$n` placeholders on both back ends; the SQLite side
 * rewrites them. Write portable SQL: `ON CONFLICT`, `RETURNING`, `CAST(x AS TEXT)`, `substr`, `length`,
 * `coalesce` work on both; `::` casts, `ILIKE`, booleans and `now()` do not (timestamps are INTEGER/BIGINT
 * epoch milliseconds passed in as parameters).
 */

/** A value that can be bound to a placeholder. Booleans are not portable: store 0/1. */
export type SqlValue = string | number | Uint8Array | null;

/** Statements runnable on the database or inside a transaction. */
export interface SqlExecutor {
  /**
   * Runs one statement and returns its rows (empty for statements without a result set). Values are normalised
   * at the edge: BIGINT and count(*) come back as JS numbers (never strings), BLOB/BYTEA as plain Uint8Array.
   */
  query<T extends object>(text: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Runs one statement and returns the number of rows it inserted, updated or deleted. */
  execute(text: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Runs `fn` in a transaction: committed when the promise it returns resolves, rolled back (and the error
   * rethrown) when it rejects. Called on a transaction, it opens a nested one (a SAVEPOINT): an inner
   * rollback keeps the outer transaction usable (run nested ones one after another, not concurrently:
   * savepoints form a stack). Inside `fn`, use only `tx`: on SQLite, awaiting a write
   * through the outer `Storage` inside `fn` waits for this very transaction and never finishes. Keep `fn` short
   * (no network calls): on SQLite it holds the database's write lock, so every other write, from this process
   * or another, waits for it (other processes give up after SQLite's 5 s busy timeout).
   */
  transaction<T>(fn: (tx: SqlTransaction) => Promise<T>): Promise<T>;
}

/**
 * The handle `transaction(fn)` passes to `fn`. Only valid until `fn` settles: later calls reject with
 * `STORAGE_TRANSACTION_CLOSED`, so a stray callback can never write outside the transaction it thinks it is in.
 */
export interface SqlTransaction extends SqlExecutor {
  /**
   * `Storage.appendUpdates` inside this transaction (DESIGN section 4: a connector's shadow and the live
   * update land in one transaction). The returned id is final only once the transaction commits.
   */
  appendUpdates(doc: string, updates: readonly Uint8Array[]): Promise<number>;
}

/** A BIGINT id or count that a driver may hand back as a string, as an exact JS number. */
export function safeNumber(value: string | number | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${String(value)} is not a safe JS integer`);
  return n;
}
