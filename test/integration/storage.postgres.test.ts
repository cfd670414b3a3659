import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { mergeToSnapshot } from '../../server/storage/mergeUpdates.ts';
import { PostgresStorage } from '../../server/storage/postgres.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';

/** PostgreSQL-only behaviour the shared conformance suite cannot express. */
describe('PostgresStorage', () => {
  let database: TempDatabase;
  let storage: PostgresStorage;
  let raw: pg.Client;

  beforeEach(async () => {
    database = await createTempDatabase();
    storage = new PostgresStorage(database.url, { max: 2 });
    await storage.migrate();
    raw = new pg.Client({ connectionString: database.url });
    await raw.connect();
  });
  afterEach(async () => {
    await raw.end();
    await storage.close();
    await database.drop();
  });

  it('keeps an append that commits a lower id after a compaction folded a higher one', async () => {
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (update: Uint8Array) => updates.push(update));
    source.getText('t').insert(0, 'first ');
    source.getText('t').insert(6, 'second');

    // A second "server" takes id N for the first edit but has not committed yet...
    await raw.query('BEGIN');
    const late = await raw.query<{ id: string }>(
      'INSERT INTO doc_updates (doc, data) VALUES ($1, $2) RETURNING id',
      ['doc', updates[0]],
    );
    // ...while this one appends (id N+1, committed) and compacts.
    const committed = await storage.appendUpdates('doc', [updates[1]!]);
    expect(committed[0]).toBeGreaterThan(Number(late.rows[0]!.id));
    expect(await storage.compact('doc', mergeToSnapshot)).toEqual({ folded: 1 });
    await raw.query('COMMIT');

    const stored = await storage.loadDocument('doc');
    expect(stored.updates).toEqual([updates[0]]);
    expect(await storage.logLength('doc')).toBe(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, stored.snapshot!);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    expect(doc.getText('t').toString()).toBe('first second');

    expect(await storage.compact('doc', mergeToSnapshot)).toEqual({ folded: 1 });
    const compacted = await storage.loadDocument('doc');
    expect(compacted.updates).toEqual([]);
    const reloaded = new Y.Doc();
    Y.applyUpdate(reloaded, compacted.snapshot!);
    expect(reloaded.getText('t').toString()).toBe('first second');
  });

  it('returns ids as JS numbers beyond the 32-bit range', async () => {
    await raw.query(`SELECT setval(pg_get_serial_sequence('doc_updates', 'id'), 5000000000)`);
    const ids = await storage.appendUpdates('doc', [new Uint8Array([1]), new Uint8Array([2])]);
    expect(ids).toEqual([5_000_000_001, 5_000_000_002]);
    expect((await storage.loadDocument('doc')).upTo).toBe(5_000_000_002);
  });

  it('appends more updates than one statement can carry, in order and in one transaction', async () => {
    const updates = Array.from({ length: 2500 }, (_, i) => new Uint8Array([i & 0xff, i >> 8]));
    await storage.appendUpdates('doc', updates);
    expect((await storage.loadDocument('doc')).updates).toEqual(updates);
    const poisoned = [...updates, null as unknown as Uint8Array];
    await expect(storage.appendUpdates('doc', poisoned)).rejects.toThrow();
    expect(await storage.logLength('doc')).toBe(2500);
  });

  it('rejects ping with STORAGE_UNAVAILABLE when the server cannot be reached', async () => {
    const unreachable = new PostgresStorage('postgres://postgres@127.0.0.1:1/test', {
      connectionTimeoutMillis: 2000,
    });
    try {
      await expect(unreachable.ping()).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
    } finally {
      await unreachable.close();
    }
  });
});
