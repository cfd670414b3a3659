import type { Migration } from './migrations.ts';

/**
 * Migration 5: the original package a document was imported from (.docx or .odt), its "base": exporting to
 * the same format writes over it. A document points at its current base; each version records the base it
 * was saved with, so restoring a version brings its base back too. Bases are never updated in place.
 */
export const originalsSchemaMigration: Migration = {
  version: 5,
  name: 'original packages of imported documents',
  sqlite: `
    CREATE TABLE doc_bases (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('docx', 'odt')),
      package BLOB NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX doc_bases_doc ON doc_bases (tenant, doc, id);
    ALTER TABLE documents ADD COLUMN base_id INTEGER REFERENCES doc_bases (id);
    ALTER TABLE doc_versions ADD COLUMN base_id INTEGER REFERENCES doc_bases (id);
  `,
  postgres: `
    CREATE TABLE doc_bases (
      id BIGSERIAL PRIMARY KEY,
      tenant TEXT NOT NULL,
      doc TEXT NOT NULL,
      format TEXT NOT NULL CHECK (format IN ('docx', 'odt')),
      package BYTEA NOT NULL,
      created_at BIGINT NOT NULL
    );
    CREATE INDEX doc_bases_doc ON doc_bases (tenant, doc, id);
    ALTER TABLE documents ADD COLUMN base_id BIGINT REFERENCES doc_bases (id);
    ALTER TABLE doc_versions ADD COLUMN base_id BIGINT REFERENCES doc_bases (id);
  `,
};
