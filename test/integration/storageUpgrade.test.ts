import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createMigrationsTable, migrations } from '../../server/storage/migrations.ts';
import { PostgresStorage } from '../../server/storage/postgres.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { createTempDatabase } from '../helpers/postgres.ts';

/** A database at an older schema version, written to without Docbridge's storage layer, as a released server left it. */
interface OldDatabase {
  /** Runs statements (several, no parameters). */
  exec(sql: string): Promise<void>;
  /** Runs one statement with `?` placeholders. */
  run(sql: string, params: (string | number | Uint8Array | null)[]): Promise<void>;
  close(): Promise<void>;
  /** The current server's storage on the same database (not yet migrated). */
  open(): Storage;
  dispose(): Promise<void>;
}

async function oldSqlite(): Promise<OldDatabase> {
  const dir = await mkdtemp(join(tmpdir(), 'docbridge-upgrade-'));
  const path = join(dir, 'docbridge.db');
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  let storage: Storage | undefined;
  return {
    exec: async (sql) => void db.exec(sql),
    run: async (sql, params) => void db.prepare(sql).run(...params),
    close: async () => void db.close(),
    open: () => {
      storage = new SqliteStorage(path);
      return storage;
    },
    dispose: async () => {
      await storage?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function oldPostgres(): Promise<OldDatabase> {
  const database = await createTempDatabase();
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  let storage: Storage | undefined;
  return {
    exec: async (sql) => void (await client.query(sql)),
    run: async (sql, params) => {
      let n = 0;
      await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params.map((value) => (value instanceof Uint8Array ? Buffer.from(value) : value)),
      );
    },
    close: () => client.end(),
    open: () => {
      storage = new PostgresStorage(database.url, { max: 2 });
      return storage;
    },
    dispose: async () => {
      await storage?.close();
      await database.drop();
    },
  };
}

const shadow = new Uint8Array([0, 1, 2, 255, 254]);
const snapshot = new Uint8Array([80, 75, 3, 4, 0]);

/** Brings `db` to `version` as the migrations of that release did, one at a time. */
async function migrateTo(db: OldDatabase, version: number, kind: 'sqlite' | 'postgres') {
  await db.exec(createMigrationsTable);
  for (const migration of migrations.filter((m) => m.version <= version)) {
    await db.exec(migration[kind]);
    await db.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      migration.version,
      migration.name,
      '2026-01-01T00:00:00Z',
    ]);
  }
}

describe.each([
  ['sqlite', oldSqlite],
  ['postgres', oldPostgres],
] as const)('upgrade of a %s database from schema 5 (providers listed in a CHECK)', (kind, make) => {
  let db: OldDatabase | undefined;
  afterEach(async () => {
    await db?.dispose();
    db = undefined;
  });

  it('keeps every credential and link, their foreign key and indexes, and accepts a provider of any suite', async () => {
    db = await make();
    await migrateTo(db, 5, kind);
    await db.run(
      `INSERT INTO credentials (id, tenant, provider, name, fingerprint, ciphertext, iv, auth_tag, key_id, metadata, created_at, created_by, verified_at, last_error)
       VALUES (?, 'dept-a', 'microsoft', 'Press office', 'sha256:ab', ?, ?, ?, 'k1', '{"kind":"clientSecret"}', 1000, 'u-amal', 2000, NULL)`,
      ['c1', new Uint8Array([9, 9]), new Uint8Array([1]), new Uint8Array([2])],
    );
    await db.run(
      `INSERT INTO links (id, tenant, doc, credential_id, provider, remote_id, remote_url, status, remote_rev, shadow, remote_snapshot, consecutive_failures, created_at, updated_at, last_synced_at)
       VALUES ('l1', 'dept-a', 'dept-a/minutes', 'c1', 'microsoft', 'drives/d/items/i', NULL, 'synced', '"{e},3"', ?, ?, 2, 1000, 3000, 3000)`,
      [shadow, snapshot],
    );
    // The old schema refused any provider it did not list.
    await expect(
      db.run(
        `INSERT INTO credentials (id, tenant, provider, name, fingerprint, ciphertext, iv, auth_tag, key_id, created_at)
         VALUES ('c0', 'dept-a', 'fileshare', 'Share', 'f', ?, ?, ?, 'k1', 1)`,
        [new Uint8Array([1]), new Uint8Array([1]), new Uint8Array([1])],
      ),
    ).rejects.toThrow();
    await db.close();

    const storage = db.open();
    await storage.migrate();
    const [credential] = await storage.sql.query<Record<string, unknown>>(
      `SELECT id, provider, name, ciphertext, metadata, verified_at FROM credentials WHERE id = 'c1'`,
    );
    expect(credential).toEqual({
      id: 'c1',
      provider: 'microsoft',
      name: 'Press office',
      ciphertext: new Uint8Array([9, 9]),
      metadata: '{"kind":"clientSecret"}',
      verified_at: 2000,
    });
    const [link] = await storage.sql.query<Record<string, unknown>>(
      `SELECT credential_id, provider, remote_rev, shadow, remote_snapshot, consecutive_failures, last_synced_at
       FROM links WHERE id = 'l1'`,
    );
    expect(link).toEqual({
      credential_id: 'c1',
      provider: 'microsoft',
      remote_rev: '"{e},3"',
      shadow,
      remote_snapshot: snapshot,
      consecutive_failures: 2,
      last_synced_at: 3000,
    });

    // A suite the schema never heard of: its credential and link are stored.
    const blob = new Uint8Array([1]);
    await storage.sql.execute(
      `INSERT INTO credentials (id, tenant, provider, name, fingerprint, ciphertext, iv, auth_tag, key_id, created_at)
       VALUES ('c2', 'dept-a', 'fileshare', 'Share', 'f', $1, $1, $1, 'k1', 1)`,
      [blob],
    );
    await storage.sql.execute(
      `INSERT INTO links (id, tenant, doc, credential_id, provider, remote_id, created_at, updated_at)
       VALUES ('l2', 'dept-a', 'dept-a/minutes', 'c2', 'fileshare', '//share/minutes.docx', 1, 1)`,
    );
    // The link still names its credential's tenant and provider, or the database refuses it.
    await expect(
      storage.sql.execute(
        `INSERT INTO links (id, tenant, doc, credential_id, provider, remote_id, created_at, updated_at)
         VALUES ('l3', 'dept-a', 'dept-a/other', 'c2', 'microsoft', 'x', 1, 1)`,
      ),
    ).rejects.toThrow();
    await expect(
      storage.sql.execute(
        `INSERT INTO links (id, tenant, doc, credential_id, provider, remote_id, created_at, updated_at)
         VALUES ('l4', 'dept-b', 'dept-b/other', 'c2', 'fileshare', 'x', 1, 1)`,
      ),
    ).rejects.toThrow();
    // One link per (document, provider, remote file), as before.
    await expect(
      storage.sql.execute(
        `INSERT INTO links (id, tenant, doc, credential_id, provider, remote_id, created_at, updated_at)
         VALUES ('l5', 'dept-a', 'dept-a/minutes', 'c2', 'fileshare', '//share/minutes.docx', 1, 1)`,
      ),
    ).rejects.toThrow();
    // A credential with links cannot be deleted from under them.
    await expect(storage.sql.execute(`DELETE FROM credentials WHERE id = 'c1'`)).rejects.toThrow();
    expect(await storage.sql.query(`SELECT id FROM links ORDER BY id`)).toEqual([{ id: 'l1' }, { id: 'l2' }]);
    const indexes = await storage.sql.query<{ name: string }>(
      kind === 'sqlite'
        ? `SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'`
        : `SELECT indexname AS name FROM pg_indexes WHERE schemaname = 'public'`,
    );
    expect(indexes.map((index) => index.name)).toEqual(
      expect.arrayContaining([
        'credentials_tenant',
        'links_tenant_doc',
        'links_credential',
        'links_next_attempt',
      ]),
    );
  });
});
