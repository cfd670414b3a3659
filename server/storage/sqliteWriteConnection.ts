/**
 * What both connections that write a Docbridge SQLite file share: the writer thread's (`sqliteWriterWorker.ts`)
 * and the event loop's append connection (`SqliteAppender`). Erasable TypeScript only, so the worker can import
 * it under Node's type stripping.
 */
import Database from 'better-sqlite3';
import type { AppendEntry } from './sqliteWriterProtocol.ts';

/** The one statement an append runs, once per update. */
export const INSERT_UPDATE_SQL = 'INSERT INTO doc_updates (doc, data) VALUES (?, ?)';

/**
 * Opens `path` for writing: WAL (readers never wait for a writer), `synchronous = FULL` (a commit is fsynced
 * before it returns, so an acknowledged edit survives power loss), foreign keys enforced.
 */
export function openWriteConnection(path: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Inserts each entry's updates in list order; the highest id written per entry (0 for none). */
export function insertUpdates(insert: Database.Statement, entries: readonly AppendEntry[]): number[] {
  return entries.map(({ doc, updates }) => {
    let last = 0;
    for (const update of updates) last = Number(insert.run(doc, update).lastInsertRowid);
    return last;
  });
}
