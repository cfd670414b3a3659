import { join } from 'node:path';
import type { Storage } from './storage.ts';

/** Where the server's configuration says documents live. */
export interface StorageOptions {
  /** A PostgreSQL connection string; when set, PostgreSQL is used (needed for several instances). */
  databaseUrl?: string | undefined;
  /** The data directory; SQLite keeps `docbridge.db` there when no databaseUrl is given. */
  dataDir: string;
  /** SQLite only: the shortest time between two append commits under load (`SqliteStorage`). */
  commitSpacingMs?: number;
}

/**
 * The one place that picks a back end, so the rest of the server only ever sees `Storage`. Only the chosen
 * back end's driver is loaded (`pg` or the SQLite addon), so a server never holds the other in memory. The
 * caller still runs `migrate()` before use.
 */
export async function createStorage(opts: StorageOptions): Promise<Storage> {
  if (opts.databaseUrl) return new (await import('./postgres.ts')).PostgresStorage(opts.databaseUrl);
  return new (await import('./sqlite.ts')).SqliteStorage(join(opts.dataDir, 'docbridge.db'), {
    commitSpacingMs: opts.commitSpacingMs,
  });
}
