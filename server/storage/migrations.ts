import { adminSchemaMigration } from './adminSchema.ts';
import { identitySchemaMigration } from './identitySchema.ts';
import { liveClientsMigration } from './liveClientsSchema.ts';
import { liveEndMigration } from './liveEndSchema.ts';
import { openProvidersMigration } from './openProvidersSchema.ts';
import { originalsSchemaMigration } from './originalsSchema.ts';
import { pendingPushResumeMigration } from './pendingPushResumeSchema.ts';
import { revocationsMigration } from './revocationsSchema.ts';

/**
 * One versioned schema migration, written once per back end. Versions are applied in increasing order,
 * each in its own transaction, and recorded in `schema_migrations`; a version is never edited once
 * released: add a new one instead.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
}

/**
 * Every migration both back ends apply, oldest first. To extend the schema, append an entry with the
 * next version number; the unit test checks the list stays strictly increasing.
 */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'document snapshots and update log',
    sqlite: `
      CREATE TABLE doc_snapshots (
        doc TEXT PRIMARY KEY,
        state BLOB NOT NULL,
        up_to INTEGER NOT NULL,
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      CREATE TABLE doc_updates (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc TEXT NOT NULL,
        data BLOB NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      );
      CREATE INDEX doc_updates_doc_id ON doc_updates (doc, id);
    `,
    postgres: `
      CREATE TABLE doc_snapshots (
        doc TEXT PRIMARY KEY,
        state BYTEA NOT NULL,
        up_to BIGINT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE doc_updates (
        id BIGSERIAL PRIMARY KEY,
        doc TEXT NOT NULL,
        data BYTEA NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE INDEX doc_updates_doc_id ON doc_updates (doc, id);
    `,
  },
  adminSchemaMigration,
  revocationsMigration,
  identitySchemaMigration,
  originalsSchemaMigration,
  openProvidersMigration,
  pendingPushResumeMigration,
  liveClientsMigration,
  liveEndMigration,
];

/** The bookkeeping table, created before any migration runs (same SQL works on both back ends). */
export const createMigrationsTable = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )
`;

/** Migrations not yet in `applied`, in the order they must run. */
export function pendingMigrations(applied: Iterable<number>): Migration[] {
  const done = new Set(applied);
  return migrations.filter((m) => !done.has(m.version)).sort((a, b) => a.version - b.version);
}
