import type { Migration } from './migrations.ts';

/**
 * Migration 6: `links.live_clients_at`, when another instance last saw a suite's own live client (the Word
 * add-in) connected to the link's document. The instance running the link holds its uploads while the value
 * keeps moving (issue 13, the hand-over with file mode).
 */
export const liveClientsMigration: Migration = {
  version: 6,
  name: 'live clients of a suite on linked documents',
  sqlite: 'ALTER TABLE links ADD COLUMN live_clients_at INTEGER;',
  postgres: 'ALTER TABLE links ADD COLUMN live_clients_at BIGINT;',
};
