import type pg from 'pg';
import { safeNumber } from './sql.ts';

/** Rows per INSERT: PostgreSQL allows 65535 bind parameters per statement. */
export const APPEND_CHUNK = 1000;

/**
 * Inserts `updates` in list order with one multi-row INSERT; returns the ids written, in list order (a
 * multi-row INSERT draws its ids from the sequence row by row, in VALUES order, and RETURNING lists the rows
 * in that order; the ids need not be consecutive when other sessions draw from the sequence meanwhile).
 */
export async function insertLog(
  db: pg.Pool | pg.PoolClient,
  doc: string,
  updates: readonly Uint8Array[],
): Promise<number[]> {
  const rows = updates.map((_, i) => `($1, $${i + 2})`).join(', ');
  const result = await db.query<{ id: string }>(
    `INSERT INTO doc_updates (doc, data) VALUES ${rows} RETURNING id`,
    [doc, ...updates],
  );
  return result.rows.map((row) => toId(row.id));
}

/**
 * Inserts any number of updates in list order, `APPEND_CHUNK` rows per statement, on a client whose
 * transaction the caller opened; returns the ids written, in list order.
 */
export async function insertLogChunked(
  client: pg.PoolClient,
  doc: string,
  updates: readonly Uint8Array[],
): Promise<number[]> {
  const ids: number[] = [];
  for (let start = 0; start < updates.length; start += APPEND_CHUNK) {
    ids.push(...(await insertLog(client, doc, updates.slice(start, start + APPEND_CHUNK))));
  }
  return ids;
}

/** Clients whose ROLLBACK failed: their session state is unknown, so they are destroyed, not pooled. */
const unusable = new WeakSet<pg.PoolClient>();

/** Runs `body` in BEGIN/COMMIT, rolling back (and rethrowing the original error) if it throws. */
export async function inTransaction<T>(client: pg.PoolClient, body: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await body();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => unusable.add(client));
    throw error;
  }
}

/** Runs `body` with a checked-out client and gives it back, or destroys it when it became unusable. */
export async function withClient<T>(client: pg.PoolClient, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    client.release(unusable.has(client));
  }
}

/** Marks a client whose session state is unknown (a failed savepoint rollback), so it is destroyed. */
export function markUnusable(client: pg.PoolClient): void {
  unusable.add(client);
}

/** BIGINT arrives as a string (pg keeps precision); ids stay far below 2^53, so a JS number is exact. */
export function toId(value: string): number {
  return safeNumber(value);
}
