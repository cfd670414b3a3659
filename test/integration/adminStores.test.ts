import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PostgresStorage } from '../../server/storage/postgres.ts';
import { SqliteStorage } from '../../server/storage/sqlite.ts';
import type { Storage } from '../../server/storage/storage.ts';
import { createTempDatabase } from '../helpers/postgres.ts';
import { describeIdentityStoresConformance } from './identityStores.conformance.ts';
import { describeAdminStoresConformance } from './storageAdmin.conformance.ts';
import { describeSqlConformance, type SqlFixture } from './storageSql.conformance.ts';

async function openMigrated(instances: Storage[], storage: Storage): Promise<Storage> {
  instances.push(storage);
  await storage.migrate();
  return storage;
}

/** SQLite: one file per suite; "raw" is every byte of the database file and its WAL. */
async function sqliteFixture(): Promise<SqlFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'docbridge-admin-'));
  const path = join(dir, 'docbridge.db');
  const instances: Storage[] = [];
  return {
    open: () => openMigrated(instances, new SqliteStorage(path)),
    rawContains: async (needle) => {
      const files = await Promise.all(
        [path, `${path}-wal`].map((file) => readFile(file).catch(() => Buffer.alloc(0))),
      );
      return files.some((bytes) => bytes.includes(Buffer.from(needle, 'utf8')));
    },
    dispose: async () => {
      await Promise.all(instances.map((storage) => storage.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL: one database per suite; "raw" is every row of every table, as text (BYTEA in hex). */
async function postgresFixture(): Promise<SqlFixture> {
  const database = await createTempDatabase();
  const instances: Storage[] = [];
  return {
    open: () => openMigrated(instances, new PostgresStorage(database.url, { max: 4 })),
    rawContains: async (needle) => {
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const tables = await client.query<{ name: string }>(
          `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`,
        );
        const hex = Buffer.from(needle, 'utf8').toString('hex');
        for (const { name } of tables.rows) {
          const rows = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
          if (rows.rows.some(({ row }) => row.includes(needle) || row.includes(hex))) return true;
        }
        return false;
      } finally {
        await client.end();
      }
    },
    dispose: async () => {
      await Promise.all(instances.map((storage) => storage.close()));
      await database.drop();
    },
  };
}

describeSqlConformance('sqlite', sqliteFixture);
describeSqlConformance('postgres', postgresFixture);
describeAdminStoresConformance('sqlite', sqliteFixture);
describeAdminStoresConformance('postgres', postgresFixture);
describeIdentityStoresConformance('sqlite', sqliteFixture);
describeIdentityStoresConformance('postgres', postgresFixture);
