import type { Migration } from './migrations.ts';

/** The columns of `credentials` and `links` as migration 2 made them, copied row for row by the SQLite rebuild. */
const credentialColumns =
  'id, tenant, provider, name, fingerprint, ciphertext, iv, auth_tag, key_id, metadata, created_at, created_by, verified_at, last_error';
const linkColumns =
  'id, tenant, doc, credential_id, provider, remote_id, remote_url, initial_mode, status, status_detail, last_error, remote_rev, shadow, remote_snapshot, pending_push, pending_push_rev, consecutive_failures, next_attempt_at, lease_owner, lease_expires_at, created_by, created_at, updated_at, last_synced_at, live_changed_at, remote_sessions_at';

/**
 * Migration 6: `credentials.provider` and `links.provider` take any suite's id. Migration 2 listed the
 * providers in a CHECK, so adding a suite meant a migration; which providers exist is now decided at the edge,
 * by the suite registry (`connectors/suites.ts`, checked by the admin routes). Every row is kept. PostgreSQL
 * drops the two constraints; SQLite cannot drop a constraint, so both tables are rebuilt without it (links
 * into a table that references the new credentials table, so no foreign key is ever left dangling, and the
 * rename points the reference back at `credentials`). The link's foreign key to (id, tenant, provider) of its
 * credential stays.
 */
export const openProvidersMigration: Migration = {
  version: 6,
  name: 'providers checked by the suite registry, not the schema',
  sqlite: `
    CREATE TABLE credentials_open (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      provider TEXT NOT NULL,
      name TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      ciphertext BLOB NOT NULL,
      iv BLOB NOT NULL,
      auth_tag BLOB NOT NULL,
      key_id TEXT NOT NULL,
      metadata TEXT NOT NULL DEFAULT '{}',
      created_at INTEGER NOT NULL,
      created_by TEXT,
      verified_at INTEGER,
      last_error TEXT,
      UNIQUE (id, tenant, provider)
    );
    INSERT INTO credentials_open (${credentialColumns}) SELECT ${credentialColumns} FROM credentials;

    CREATE TABLE links_open (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      credential_id TEXT NOT NULL,
      provider TEXT NOT NULL,
      remote_id TEXT NOT NULL,
      remote_url TEXT,
      initial_mode TEXT,
      status TEXT NOT NULL DEFAULT 'linking',
      status_detail TEXT,
      last_error TEXT,
      remote_rev TEXT,
      shadow BLOB,
      remote_snapshot BLOB,
      pending_push BLOB,
      pending_push_rev TEXT,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      lease_owner TEXT,
      lease_expires_at INTEGER,
      created_by TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      last_synced_at INTEGER,
      live_changed_at INTEGER,
      remote_sessions_at INTEGER,
      UNIQUE (doc, provider, remote_id),
      FOREIGN KEY (credential_id, tenant, provider) REFERENCES credentials_open (id, tenant, provider)
    );
    INSERT INTO links_open (${linkColumns}) SELECT ${linkColumns} FROM links;

    DROP TABLE links;
    DROP TABLE credentials;
    ALTER TABLE credentials_open RENAME TO credentials;
    ALTER TABLE links_open RENAME TO links;
    CREATE INDEX credentials_tenant ON credentials (tenant, created_at);
    CREATE INDEX links_tenant_doc ON links (tenant, doc);
    CREATE INDEX links_credential ON links (credential_id, tenant, provider);
    CREATE INDEX links_next_attempt ON links (next_attempt_at);
  `,
  postgres: `
    ALTER TABLE links DROP CONSTRAINT links_provider_check;
    ALTER TABLE credentials DROP CONSTRAINT credentials_provider_check;
  `,
};
