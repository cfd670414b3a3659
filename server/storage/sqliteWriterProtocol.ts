/**
 * The messages between `SqliteWriter` (main thread) and `sqliteWriterWorker.ts` (the worker thread that owns
 * the one writing SQLite connection). Erasable TypeScript only, so the worker can import it under Node's type
 * stripping.
 */

/** The writer's thread name in `top -H`, `ps -L` and the bench's per-thread CPU figures (Linux only). */
export const WRITER_THREAD_NAME = 'sqlite-writer';

import type { FoldedEntries } from './snapshotUpTo.ts';

/** A value bound to a `?` placeholder (already in SQLite order). */
export type WriterValue = string | number | Uint8Array | null;

/** One document's entries of an append; the worker returns the highest id written for each. */
export interface AppendEntry {
  readonly doc: string;
  readonly updates: readonly Uint8Array[];
}

/** A migration as the worker needs it: SQLite text only. */
export interface WriterMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** What the main thread asks; every request carries an id echoed by its response. */
export type WriterRequest =
  /** Runs SQL text without parameters (BEGIN, COMMIT, SAVEPOINT, DDL). */
  | { readonly id: number; readonly op: 'exec'; readonly sql: string }
  /** Runs `sql` only when a transaction is open on the connection (a rollback after a failure). */
  | { readonly id: number; readonly op: 'rollbackIfOpen'; readonly sql: string }
  /** One statement: its rows when it returns any (else it is run and [] returned), or its change count. */
  | {
      readonly id: number;
      readonly op: 'statement';
      readonly sql: string;
      readonly params: readonly WriterValue[];
      readonly result: 'rows' | 'changes';
    }
  /** Inserts log entries; in one IMMEDIATE transaction of its own unless one is already open (`nested`). */
  | {
      readonly id: number;
      readonly op: 'append';
      readonly entries: readonly AppendEntry[];
      readonly nested: boolean;
    }
  /** The compaction write: see `SqliteWriter.replaceSnapshot`. */
  | {
      readonly id: number;
      readonly op: 'replaceSnapshot';
      readonly doc: string;
      readonly expectedUpTo: number | null;
      readonly state: Uint8Array;
      readonly folded: FoldedEntries;
    }
  /** Creates the bookkeeping table with `createTable`, then applies whichever `migrations` are missing. */
  | {
      readonly id: number;
      readonly op: 'migrate';
      readonly createTable: string;
      readonly migrations: readonly WriterMigration[];
    }
  /** Closes the connection; the worker then exits. */
  | { readonly id: number; readonly op: 'close' };

/** A failure as it crosses the thread boundary: the driver's message and code (`SQLITE_CONSTRAINT_...`). */
export interface WriterFailure {
  readonly message: string;
  readonly code: string | undefined;
  /** Set when a migration failed: which one. */
  readonly migration?: { readonly version: number; readonly name: string };
}

export type WriterResponse =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WriterFailure };
