import type { Migration } from './migrations.ts';

const tables = (int: string) => `
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      secret_hash TEXT NOT NULL UNIQUE,
      socket_hash TEXT NOT NULL UNIQUE,
      csrf TEXT NOT NULL,
      tenant TEXT NOT NULL,
      user_id TEXT NOT NULL,
      user_name TEXT NOT NULL,
      email TEXT,
      admin INTEGER NOT NULL DEFAULT 0,
      via TEXT NOT NULL,
      guest_link_id TEXT,
      docs TEXT NOT NULL DEFAULT '{}',
      user_agent TEXT,
      created_at ${int} NOT NULL,
      last_seen_at ${int} NOT NULL,
      expires_at ${int} NOT NULL,
      revoked_at ${int}
    );
    CREATE INDEX sessions_tenant ON sessions (tenant, created_at);
    CREATE INDEX sessions_guest_link ON sessions (guest_link_id);

    CREATE TABLE shares (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      grantee_kind TEXT NOT NULL CHECK (grantee_kind IN ('user', 'tenant')),
      grantee TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('read', 'comment', 'edit')),
      created_by TEXT NOT NULL,
      created_at ${int} NOT NULL,
      UNIQUE (doc, grantee_kind, grantee)
    );
    CREATE INDEX shares_grantee ON shares (grantee_kind, grantee);
    CREATE INDEX shares_tenant ON shares (tenant, created_at);

    CREATE TABLE guest_links (
      id TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL CHECK (role IN ('read', 'comment', 'edit')),
      label TEXT,
      created_by TEXT NOT NULL,
      created_at ${int} NOT NULL,
      expires_at ${int} NOT NULL,
      revoked_at ${int}
    );
    CREATE INDEX guest_links_doc ON guest_links (tenant, doc);
`;

/**
 * Migration 4: identity and sharing (docs/identity.md). Server-side sessions (cookie and socket secrets
 * stored only as SHA-256 hashes), shares of one document with a user or a whole tenant, and guest links
 * (token stored hashed). Timestamps are epoch milliseconds like the admin tables.
 */
export const identitySchemaMigration: Migration = {
  version: 4,
  name: 'sessions, shares, guest links',
  sqlite: tables('INTEGER'),
  postgres: tables('BIGINT'),
};
