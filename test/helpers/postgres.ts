import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Admin connection for tests: the `test` database on the local server, overridable for other setups. */
export const TEST_POSTGRES_URL =
  process.env.DOCBRIDGE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A database that exists only for one test (or one test file); drop() is idempotent. */
export interface TempDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates a fresh, randomly named database so concurrently running test files never see each other's
 * rows, migrations or advisory locks. drop() disconnects whatever still holds it (e.g. a server process
 * killed with -9) before dropping.
 */
export async function createTempDatabase(): Promise<TempDatabase> {
  const name = `docbridge_test_${randomBytes(8).toString('hex')}`;
  // CREATE DATABASE copies template1 and fails if another session is copying it at the same instant.
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${name}`);
      break;
    } catch (error) {
      if (attempt >= 10 || (error as { code?: string }).code !== '55006') throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | null = null;
  return {
    url: url.toString(),
    name,
    drop: () => {
      dropped ??= adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return dropped;
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
