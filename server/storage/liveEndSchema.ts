import type { Migration } from './migrations.ts';

/**
 * Migration 9: `links.live_ended_at`, when a suite's live client (the Word add-in) last left the link's
 * document, kept until the remote holds something newer: until then a Word save not later than it is adopted
 * without being applied (it may predate text the add-in mirrored), also by an instance that takes the link
 * over or restarts in between (issue 13, the hand-over with file mode).
 */
export const liveEndMigration: Migration = {
  version: 9,
  name: "links: when the suite's live client last left",
  sqlite: 'ALTER TABLE links ADD COLUMN live_ended_at INTEGER;',
  postgres: 'ALTER TABLE links ADD COLUMN live_ended_at BIGINT;',
};
