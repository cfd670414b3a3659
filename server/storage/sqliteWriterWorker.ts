/**
 * The worker thread that owns the writing SQLite connection of a `SqliteStorage` for everything but the small
 * appends of a healthy disk (those commit on the event loop: `SqliteAppender`). better-sqlite3 is synchronous:
 * on the main thread a long transaction, a compaction or a commit on a slow disk would stall the event loop
 * that also fans updates out to clients. Here it only stalls this thread. Requests are handled strictly in
 * arrival order, one at a time; which requests may interleave (nothing may slip into an open transaction) is
 * decided on the main thread by the storage's write mutex.
 *
 * Written in erasable TypeScript only and importing nothing of ours but erasable files (the protocol and the
 * write connection): it is loaded by Node itself (type stripping) when no loader is registered, as under vitest.
 */
import { writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import type { FoldedEntries } from './snapshotUpTo.ts';
import { nextUpTo } from './snapshotUpTo.ts';
import { INSERT_UPDATE_SQL, insertUpdates, openWriteConnection } from './sqliteWriteConnection.ts';
import type {
  AppendEntry,
  WriterFailure,
  WriterMigration,
  WriterRequest,
  WriterResponse,
} from './sqliteWriterProtocol.ts';
import { WRITER_THREAD_NAME } from './sqliteWriterProtocol.ts';

const STATEMENT_CACHE = 200;
const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;
/** Off the event loop, waiting for another process's write lock costs nothing but this thread's time. */
const BUSY_TIMEOUT_MS = 5000;

class MigrationFailed extends Error {
  readonly migration: { version: number; name: string };
  constructor(migration: WriterMigration, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.migration = { version: migration.version, name: migration.name };
  }
}

try {
  // A thread may rename itself through /proc/thread-self; elsewhere (not Linux) it keeps Node's name.
  writeFileSync('/proc/thread-self/comm', WRITER_THREAD_NAME);
} catch {
  // Not Linux, or /proc not mounted: only the name is lost.
}

const path = (workerData as { path: string }).path;
let db: Database.Database | null = null;
const statements = new Map<string, Database.Statement>();
/** `appendRows` wrapped in a transaction once per connection (better-sqlite3 builds a wrapper per call). */
let appendTransaction: Database.Transaction<(entries: readonly AppendEntry[]) => number[]> | null = null;

function connection(): Database.Database {
  db ??= openWriteConnection(path, BUSY_TIMEOUT_MS);
  return db;
}

function prepare(sql: string): Database.Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection().prepare(sql);
    if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
    statements.set(sql, statement);
  }
  return statement;
}

function appendRows(entries: readonly AppendEntry[]): number[] {
  return insertUpdates(prepare(INSERT_UPDATE_SQL), entries);
}

function replaceSnapshot(
  doc: string,
  expectedUpTo: number | null,
  state: Uint8Array,
  folded: FoldedEntries,
): { folded: number; upTo: number } | null {
  const write = connection().transaction(() => {
    const current = prepare('SELECT up_to FROM doc_snapshots WHERE doc = ?').get(doc) as
      | { up_to: number }
      | undefined;
    if ((current?.up_to ?? null) !== expectedUpTo) return null;
    const upTo = nextUpTo(expectedUpTo, folded);
    prepare(
      `INSERT INTO doc_snapshots (doc, state, up_to, updated_at) VALUES (?, ?, ?, ${NOW})
       ON CONFLICT (doc) DO UPDATE SET
         state = excluded.state, up_to = excluded.up_to, updated_at = excluded.updated_at`,
    ).run(doc, state, upTo);
    const deleted =
      'lastId' in folded
        ? prepare('DELETE FROM doc_updates WHERE doc = ? AND id <= ?').run(doc, folded.lastId)
        : prepare('DELETE FROM doc_updates WHERE doc = ? AND id IN (SELECT value FROM json_each(?))').run(
            doc,
            JSON.stringify(folded.ids),
          );
    return { folded: deleted.changes, upTo };
  });
  return write.immediate();
}

function migrate(createTable: string, migrations: readonly WriterMigration[]): void {
  const conn = connection();
  conn.exec(createTable);
  for (;;) {
    // Re-read inside each IMMEDIATE transaction: another process may have migrated meanwhile.
    const applied = conn.transaction(() => {
      const done = new Set(
        (conn.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map(
          (row) => row.version,
        ),
      );
      const next = migrations.find((m) => !done.has(m.version));
      if (!next) return false;
      try {
        conn.exec(next.sql);
      } catch (error) {
        throw new MigrationFailed(next, error);
      }
      conn
        .prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ${NOW})`)
        .run(next.version, next.name);
      return true;
    });
    if (!applied.immediate()) return;
  }
}

function handle(request: WriterRequest): unknown {
  switch (request.op) {
    case 'exec':
      connection().exec(request.sql);
      return undefined;
    case 'rollbackIfOpen':
      if (connection().inTransaction) connection().exec(request.sql);
      return undefined;
    case 'statement': {
      const statement = prepare(request.sql);
      if (request.result === 'changes') return statement.run(...request.params).changes;
      if (!statement.reader) {
        statement.run(...request.params);
        return [];
      }
      return statement.all(...request.params);
    }
    case 'append':
      if (request.nested) return appendRows(request.entries);
      appendTransaction ??= connection().transaction(appendRows);
      return appendTransaction.immediate(request.entries);
    case 'replaceSnapshot':
      return replaceSnapshot(request.doc, request.expectedUpTo, request.state, request.folded);
    case 'migrate':
      migrate(request.createTable, request.migrations);
      return undefined;
    case 'close':
      statements.clear();
      appendTransaction = null;
      db?.close();
      db = null;
      return undefined;
  }
}

function failure(error: unknown): WriterFailure {
  // A migration failure carries the driver's error as its cause: report the driver's code.
  const driverError = error instanceof MigrationFailed ? error.cause : error;
  const code = (driverError as { code?: unknown } | null)?.code;
  return {
    message: error instanceof Error ? error.message : String(error),
    code: typeof code === 'string' ? code : undefined,
    ...(error instanceof MigrationFailed ? { migration: error.migration } : {}),
  };
}

parentPort!.on('message', (request: WriterRequest) => {
  let response: WriterResponse;
  try {
    response = { id: request.id, ok: true, value: handle(request) };
  } catch (error) {
    response = { id: request.id, ok: false, error: failure(error) };
  }
  parentPort!.postMessage(response);
  if (request.op === 'close') parentPort!.close();
});
