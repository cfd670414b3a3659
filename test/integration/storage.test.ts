import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createStorage } from '../../server/storage/createStorage.ts';
import { MergeError, mergeToSnapshot } from '../../server/storage/mergeUpdates.ts';
import { migrations } from '../../server/storage/migrations.ts';
import { PostgresStorage } from '../../server/storage/postgres.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { createTempDatabase } from '../helpers/postgres.ts';
import { describeStorageConformance, type StorageFixture } from './storage.conformance.ts';

async function closeAll(instances: Storage[]): Promise<void> {
  await Promise.all(instances.map((storage) => storage.close()));
}

/** Settles when `signal` aborts: SQLite compactions never wait for each other, they retry instead. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** Polls pg_stat_activity until a session of this database waits on an advisory lock, or `signal` aborts. */
async function advisoryLockWait(url: string, signal: AbortSignal): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    while (!signal.aborted) {
      const result = await client.query(
        `SELECT 1 FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
      );
      if (result.rowCount) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}

describeStorageConformance('sqlite', async (): Promise<StorageFixture> => {
  const dir = await mkdtemp(join(tmpdir(), 'docbridge-storage-'));
  const path = join(dir, 'data', 'docbridge.db');
  const instances: Storage[] = [];
  return {
    open: () => {
      const storage = new SqliteStorage(path);
      instances.push(storage);
      return storage;
    },
    compactionBlocked: (signal) => aborted(signal),
    appliedMigrations: async () => {
      const db = new Database(path, { readonly: true });
      try {
        const rows = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all();
        return rows.map((row) => row.version).sort((a, b) => a - b);
      } finally {
        db.close();
      }
    },
    dispose: async () => {
      await closeAll(instances);
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describeStorageConformance('postgres', async (): Promise<StorageFixture> => {
  const database = await createTempDatabase();
  const instances: Storage[] = [];
  return {
    open: () => {
      const storage = new PostgresStorage(database.url, { max: 4 });
      instances.push(storage);
      return storage;
    },
    compactionBlocked: (signal) => advisoryLockWait(database.url, signal),
    appliedMigrations: async () => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const result = await client.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        return result.rows.map((row) => row.version);
      } finally {
        await client.end();
      }
    },
    dispose: async () => {
      await closeAll(instances);
      await database.drop();
    },
  };
});

function typed(chunks: string[], clientID = 7): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (const chunk of chunks) doc.getText('t').insert(doc.getText('t').length, chunk);
  return { doc, updates };
}

function textOfUpdate(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return doc.getText('t').toString();
}

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack).includes(Buffer.from(needle));
}

describe('mergeToSnapshot', () => {
  it('folds a snapshot and updates into one update that reloads to the same text', () => {
    const { doc, updates } = typed(['Hello', ', ', 'world']);
    const first = mergeToSnapshot(null, updates.slice(0, 2));
    expect(textOfUpdate(first)).toBe('Hello, ');
    const second = mergeToSnapshot(first, updates.slice(2));
    expect(textOfUpdate(second)).toBe(doc.getText('t').toString());
    expect(mergeToSnapshot(second, updates)).toEqual(second);
  });

  it('garbage-collects deleted content', () => {
    const secret = 'DELETED-CONTENT-THAT-MUST-NOT-SURVIVE';
    const { doc, updates } = typed(['keep ', secret, ' end']);
    doc.getText('t').delete(5, secret.length);
    const secretBytes = new TextEncoder().encode(secret);
    expect(updates.some((update) => containsBytes(update, secretBytes))).toBe(true);
    const snapshot = mergeToSnapshot(null, updates);
    expect(containsBytes(snapshot, secretBytes)).toBe(false);
    expect(textOfUpdate(snapshot)).toBe('keep  end');
  });

  it('keeps updates whose dependencies are missing, so out-of-order entries are not lost', () => {
    const { doc, updates } = typed(['one ', 'two ', 'three']);
    const snapshot = mergeToSnapshot(null, [updates[0]!, updates[2]!]);
    expect(textOfUpdate(snapshot)).toBe('one ');
    expect(textOfUpdate(mergeToSnapshot(snapshot, [updates[1]!]))).toBe(doc.getText('t').toString());
  });

  it('returns an empty document state when there is nothing to merge', () => {
    expect(textOfUpdate(mergeToSnapshot(null, []))).toBe('');
  });

  it('rejects an entry Yjs cannot read with a typed error naming it', () => {
    const { updates } = typed(['a', 'b']);
    const corrupt = new Uint8Array([255, 255, 255, 255, 255]);
    let caught: unknown;
    try {
      mergeToSnapshot(null, [updates[0]!, corrupt, updates[1]!]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MergeError);
    expect(caught).toMatchObject({ code: 'YJS_UPDATE_REJECTED', index: 1 });
  });
});

describe('migrations', () => {
  it('are listed with strictly increasing versions and SQL for both back ends', () => {
    migrations.forEach((migration, i) => {
      expect(migration.version).toBe(i === 0 ? 1 : migrations[i - 1]!.version + 1);
      expect(migration.sqlite.trim()).not.toBe('');
      expect(migration.postgres.trim()).not.toBe('');
    });
  });
});

describe('createStorage', () => {
  it('uses SQLite at <dataDir>/docbridge.db without a database URL, creating the directory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'docbridge-create-'));
    const dataDir = join(dir, 'nested', 'data');
    const storage = await createStorage({ dataDir });
    try {
      expect(storage.kind).toBe('sqlite');
      await storage.migrate();
      await storage.ping();
      expect(existsSync(join(dataDir, 'docbridge.db'))).toBe(true);
    } finally {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('uses PostgreSQL when a database URL is set', async () => {
    const database = await createTempDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'docbridge-create-'));
    const dataDir = join(dir, 'unused');
    const storage = await createStorage({ databaseUrl: database.url, dataDir });
    try {
      expect(storage.kind).toBe('postgres');
      await storage.migrate();
      await storage.ping();
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await storage.close();
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
