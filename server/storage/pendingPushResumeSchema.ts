import type { Migration } from './migrations.ts';

/**
 * Migration 7: a write that takes several remote calls (a Google push creating footnotes: the footnotes, then
 * their text) records after its first call what is left to do, so a crash between the calls is completed
 * after restart instead of guessed (`pending_push_resume`, opaque to the store, cleared with the pending push).
 */
export const pendingPushResumeMigration: Migration = {
  version: 7,
  name: 'links: resume record of a multi-call push',
  sqlite: 'ALTER TABLE links ADD COLUMN pending_push_resume BLOB;',
  postgres: 'ALTER TABLE links ADD COLUMN pending_push_resume BYTEA;',
};
