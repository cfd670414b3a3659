import type { Migration } from './migrations.ts';

/**
 * Migration 3: user revocations (`POST /api/revocations`). One row per (tenant, user): the latest time an
 * admin revoked that user, epoch milliseconds. A token of that user issued at or before it is refused.
 */
export const revocationsMigration: Migration = {
  version: 3,
  name: 'user revocations',
  sqlite: `
    CREATE TABLE revocations (
      tenant TEXT NOT NULL,
      sub TEXT NOT NULL,
      revoked_at INTEGER NOT NULL,
      revoked_by TEXT NOT NULL,
      PRIMARY KEY (tenant, sub)
    );
  `,
  postgres: `
    CREATE TABLE revocations (
      tenant TEXT NOT NULL,
      sub TEXT NOT NULL,
      revoked_at BIGINT NOT NULL,
      revoked_by TEXT NOT NULL,
      PRIMARY KEY (tenant, sub)
    );
  `,
};
