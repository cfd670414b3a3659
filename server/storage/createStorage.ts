import { join } from 'node:path';
import { PostgresStorage } from './postgres.ts';
import { SqliteStorage } from './sqlite.ts';
import type { Storage } from './storage.ts';

/** Where the server's configuration says documents live. */
export interface StorageOptions {
  /** A PostgreSQL connection string; when set, PostgreSQL is used (needed for several instances). */
  databaseUrl?: string | undefined;
  /** The data directory; SQLite keeps `docbridge.db` there when no databaseUrl is given. */
  dataDir: string;
}

/**
 * The one place that picks a back end, so the rest of the server only ever sees `Storage`. The caller
 * still runs `migrate()` before use.
 */
export function createStorage(opts: StorageOptions): Storage {
  if (opts.databaseUrl) return new PostgresStorage(opts.databaseUrl);
  return new SqliteStorage(join(opts.dataDir, 'docbridge.db'));
}
