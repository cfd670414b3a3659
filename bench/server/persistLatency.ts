import Database from 'better-sqlite3';
import pg from 'pg';
import * as Y from 'yjs';
import type { Storage } from '../../server/storage/storage.ts';
import { connectClient } from '../../test/helpers/clients.ts';
import type { BenchServer } from './servers.ts';
import { withTimeout } from './stats.ts';

/** How many samples a series takes at most, and for how long; the first `warmup` are not recorded. */
export interface SeriesBudget {
  maxCount: number;
  maxMs: number;
  warmup: number;
}

/**
 * `count` real Yjs updates as a client produces them while typing: one character appended per transaction,
 * each update some 20-30 bytes. Storage-level series append these, so the bytes are what the log really holds.
 */
export function typedUpdates(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  const text = doc.getText('t');
  for (let i = 0; i < count; i++) text.insert(text.length, String.fromCharCode(97 + (i % 26)));
  doc.destroy();
  return updates;
}

/** Times `step(i)` one call after the other, within `budget`; returns the recorded latencies (ms). */
async function timeEach(
  budget: SeriesBudget,
  step: (i: number) => Promise<unknown> | unknown,
  pauseMs = 0,
): Promise<number[]> {
  const samples: number[] = [];
  const deadline = performance.now() + budget.maxMs;
  for (let i = 0; i < budget.warmup + budget.maxCount && performance.now() < deadline; i++) {
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const start = performance.now();
    await step(i);
    if (i >= budget.warmup) samples.push(performance.now() - start);
  }
  return samples;
}

/** Latency of `Storage.appendUpdates` with one update per call: the durable write behind every keystroke. */
export function storageAppendLatency(storage: Storage, updates: Uint8Array[], budget: SeriesBudget) {
  return timeEach(budget, (i) =>
    storage.appendUpdates('dept-a/storage-bench', [updates[i % updates.length]!]),
  );
}

/**
 * Baseline for the SQLite series: one bare INSERT per transaction with better-sqlite3 and the same pragmas as
 * `SqliteStorage` (WAL, synchronous = FULL), in a scratch file, so the difference is our storage layer alone.
 */
export function sqliteRawInsertLatency(path: string, updates: Uint8Array[], budget: SeriesBudget) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE IF NOT EXISTS raw_log (id INTEGER PRIMARY KEY, doc TEXT NOT NULL, data BLOB NOT NULL)',
  );
  const insert = db.prepare<[string, Uint8Array]>('INSERT INTO raw_log (doc, data) VALUES (?, ?)');
  const append = db.transaction((update: Uint8Array) => insert.run('raw', update));
  return timeEach(budget, (i) => append.immediate(updates[i % updates.length]!)).finally(() => db.close());
}

/** Baseline for the PostgreSQL series: one bare autocommit INSERT over a single `pg` client. */
export async function postgresRawInsertLatency(url: string, updates: Uint8Array[], budget: SeriesBudget) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS raw_log (id BIGSERIAL PRIMARY KEY, doc TEXT, data BYTEA)');
    return await timeEach(budget, (i) =>
      client.query('INSERT INTO raw_log (doc, data) VALUES ($1, $2)', ['raw', updates[i % updates.length]!]),
    );
  } finally {
    await client.end();
  }
}

/**
 * End to end: a `HocuspocusProvider` client types one character, and the time until the provider counts no
 * unsynced change (the server's acknowledgement; on Docbridge it is sent only once the update is committed).
 * Keystrokes are sequential, so each one measures a full round trip on an otherwise idle server: back to back
 * (the next keystroke as soon as the previous one is acknowledged), or `pauseMs` after it (100: a fast typist,
 * ten keys a second). Back to back, Docbridge on SQLite spaces its commits (`DOCBRIDGE_COMMIT_SPACING_MS`).
 */
export async function keystrokeAckLatency(
  server: BenchServer,
  budget: SeriesBudget,
  pauseMs = 0,
): Promise<number[]> {
  const client = connectClient(server.wsUrl, 'dept-a/persist-e2e', server.token);
  try {
    await withTimeout(client.synced, 10_000, `a client to sync with ${server.label}`);
    await withTimeout(client.saved(), 10_000, 'the initial sync to settle');
    return await timeEach(
      budget,
      async () => {
        client.text.insert(client.text.length, 'x');
        await withTimeout(client.saved(), 10_000, `an acknowledgement from ${server.label}`);
      },
      pauseMs,
    );
  } finally {
    client.destroy();
  }
}
