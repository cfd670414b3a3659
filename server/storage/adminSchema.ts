import type { Migration } from './migrations.ts';

/**
 * Migration 2: the tables behind connectors and the admin API (server/admin/). Timestamps are epoch
 * milliseconds (INTEGER / BIGINT) passed in by the repositories, so both back ends hold the same values.
 * Links reference their credential by (id, tenant, provider): the database itself refuses a link whose
 * tenant or provider differs from its credential's. The audit log refuses UPDATE and DELETE by trigger.
 * Released, so never edited: the provider CHECKs below are dropped by migration 6 (`openProvidersSchema.ts`).
 */
export const adminSchemaMigration: Migration = {
  version: 2,
  name: 'documents, credentials, links, audit log, versions',
  sqlite: `
    CREATE TABLE documents (
      name TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      title TEXT NOT NULL,
      created_by TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX documents_tenant_name ON documents (tenant, name);

    CREATE TABLE credentials (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      provider TEXT NOT NULL CHECK (provider IN ('google', 'microsoft')),
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
    CREATE INDEX credentials_tenant ON credentials (tenant, created_at);

    CREATE TABLE links (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      credential_id TEXT NOT NULL,
      provider TEXT NOT NULL CHECK (provider IN ('google', 'microsoft')),
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
      FOREIGN KEY (credential_id, tenant, provider) REFERENCES credentials (id, tenant, provider)
    );
    CREATE INDEX links_tenant_doc ON links (tenant, doc);
    CREATE INDEX links_credential ON links (credential_id, tenant, provider);
    CREATE INDEX links_next_attempt ON links (next_attempt_at);

    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      tenant TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT,
      details TEXT NOT NULL DEFAULT '{}',
      at INTEGER NOT NULL
    );
    CREATE INDEX audit_log_tenant_id ON audit_log (tenant, id);
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

    CREATE TABLE doc_versions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      name TEXT,
      state BLOB NOT NULL,
      created_by TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX doc_versions_doc_id ON doc_versions (tenant, doc, id);
  `,
  postgres: `
    CREATE TABLE documents (
      name TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      title TEXT NOT NULL,
      created_by TEXT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL
    );
    CREATE INDEX documents_tenant_name ON documents (tenant, name);

    CREATE TABLE credentials (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      provider TEXT NOT NULL CHECK (provider IN ('google', 'microsoft')),
      name TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      ciphertext BYTEA NOT NULL,
      iv BYTEA NOT NULL,
      auth_tag BYTEA NOT NULL,
      key_id TEXT NOT NULL,
      metadata TEXT NOT NULL DEFAULT '{}',
      created_at BIGINT NOT NULL,
      created_by TEXT,
      verified_at BIGINT,
      last_error TEXT,
      UNIQUE (id, tenant, provider)
    );
    CREATE INDEX credentials_tenant ON credentials (tenant, created_at);

    CREATE TABLE links (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      credential_id TEXT NOT NULL,
      provider TEXT NOT NULL CHECK (provider IN ('google', 'microsoft')),
      remote_id TEXT NOT NULL,
      remote_url TEXT,
      initial_mode TEXT,
      status TEXT NOT NULL DEFAULT 'linking',
      status_detail TEXT,
      last_error TEXT,
      remote_rev TEXT,
      shadow BYTEA,
      remote_snapshot BYTEA,
      pending_push BYTEA,
      pending_push_rev TEXT,
      consecutive_failures INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT,
      lease_owner TEXT,
      lease_expires_at BIGINT,
      created_by TEXT,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      last_synced_at BIGINT,
      live_changed_at BIGINT,
      remote_sessions_at BIGINT,
      UNIQUE (doc, provider, remote_id),
      FOREIGN KEY (credential_id, tenant, provider) REFERENCES credentials (id, tenant, provider)
    );
    CREATE INDEX links_tenant_doc ON links (tenant, doc);
    CREATE INDEX links_credential ON links (credential_id, tenant, provider);
    CREATE INDEX links_next_attempt ON links (next_attempt_at);

    CREATE TABLE audit_log (
      id BIGSERIAL PRIMARY KEY,
      tenant TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      target TEXT,
      details TEXT NOT NULL DEFAULT '{}',
      at BIGINT NOT NULL
    );
    CREATE INDEX audit_log_tenant_id ON audit_log (tenant, id);
    CREATE FUNCTION docbridge_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END;
    $$;
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION docbridge_audit_log_append_only();

    CREATE TABLE doc_versions (
      id BIGSERIAL PRIMARY KEY,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      name TEXT,
      state BYTEA NOT NULL,
      created_by TEXT,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX doc_versions_doc_id ON doc_versions (tenant, doc, id);
  `,
};
