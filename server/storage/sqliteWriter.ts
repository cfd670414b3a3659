import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FoldedEntries } from './snapshotUpTo.ts';
import type {
  AppendEntry,
  WriterFailure,
  WriterMigration,
  WriterRequest,
  WriterResponse,
  WriterValue,
} from './sqliteWriterProtocol.ts';
import { StorageError } from './storageError.ts';

/** `.ts` when running from source (tsx, vitest), `.js` when compiled to dist/: the worker file sits beside us. */
const ownExtension = extname(new URL(import.meta.url).pathname);

type Request = WriterRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * A driver error raised on the writer thread, rebuilt on the main thread with the driver's stable `code`
 * (`SQLITE_CONSTRAINT_UNIQUE`, `SQLITE_BUSY`, ...), so callers such as `isUniqueViolation` keep working.
 */
export class SqliteWriteError extends Error {
  override readonly name = 'SqliteError';
  readonly code: string;
  constructor(failure: WriterFailure) {
    super(failure.message);
    this.code = failure.code ?? 'SQLITE_ERROR';
  }
}

/**
 * The main thread's handle on the SQLite connection that writes, which lives in a worker thread
 * (`sqliteWriterWorker.ts`) so that its commits and their fsync never block the event loop. Every method is one
 * message round trip, answered in the order sent. It does not serialise anything itself: callers keep writes
 * that must not interleave (a transaction and everything else) behind the storage's write mutex.
 *
 * The worker keeps the process alive only while a request is outstanding. If it dies (it should not), pending
 * calls reject with `STORAGE_UNAVAILABLE` and the next call starts a fresh one.
 */
export class SqliteWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(private readonly path: string) {}

  /** Runs SQL text without parameters (BEGIN, COMMIT, SAVEPOINT, DDL). */
  exec(sql: string): Promise<void> {
    return this.call({ op: 'exec', sql });
  }

  /** Runs `sql` (a ROLLBACK) only when a transaction is open. */
  rollbackIfOpen(sql: string): Promise<void> {
    return this.call({ op: 'rollbackIfOpen', sql });
  }

  /** The rows of one statement ([] for one without a result set, which is run). */
  rows(sql: string, params: readonly WriterValue[]): Promise<Record<string, unknown>[]> {
    return this.call({ op: 'statement', sql, params, result: 'rows' });
  }

  /** The number of rows one statement inserted, updated or deleted. */
  changes(sql: string, params: readonly WriterValue[]): Promise<number> {
    return this.call({ op: 'statement', sql, params, result: 'changes' });
  }

  /**
   * Appends each entry's updates in list order and returns the highest id written per entry (0 for an entry
   * without updates): in one IMMEDIATE transaction, committed and fsynced when the promise resolves, or inside
   * the transaction already open when `nested`.
   */
  append(entries: readonly AppendEntry[], nested: boolean): Promise<number[]> {
    return this.call({ op: 'append', entries, nested });
  }

  /**
   * The compaction write, in one IMMEDIATE transaction: `state` becomes the snapshot and the `folded` entries
   * leave the log, if the snapshot's `up_to` is still `expectedUpTo` (null: no snapshot); else nothing changes
   * and it resolves null. Resolves with the entries deleted and the new `up_to` (`nextUpTo`).
   */
  replaceSnapshot(
    doc: string,
    expectedUpTo: number | null,
    state: Uint8Array,
    folded: FoldedEntries,
  ): Promise<{ folded: number; upTo: number } | null> {
    return this.call({ op: 'replaceSnapshot', doc, expectedUpTo, state, folded });
  }

  /** Creates the bookkeeping table, then applies the missing migrations, each in its own transaction. */
  migrate(createTable: string, migrations: readonly WriterMigration[]): Promise<void> {
    return this.call({ op: 'migrate', createTable, migrations });
  }

  /** Closes the connection and ends the worker. Call once nothing else is outstanding. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const closed = this.call<void>({ op: 'close' });
    this.worker = null; // from here on its exit is expected
    try {
      await closed;
    } finally {
      await worker.terminate();
    }
  }

  private call<T>(request: Request): Promise<T> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...request, id });
    });
  }

  private settle(id: number): { resolve(value: unknown): void; reject(error: Error): void } | undefined {
    const waiter = this.pending.get(id);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    return waiter;
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL(`./sqliteWriterWorker${ownExtension}`, import.meta.url), {
      workerData: { path: this.path },
      execArgv: workerExecArgv(),
    });
    worker.unref();
    worker.on('message', (response: WriterResponse) => {
      const waiter = this.settle(response.id);
      if (!waiter) return;
      if (response.ok) waiter.resolve(response.value);
      else waiter.reject(toError(response.error));
    });
    const fail = (cause: unknown) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const error = new StorageError('STORAGE_UNAVAILABLE', 'the SQLite writer thread stopped', { cause });
      const waiters = [...this.pending.values()];
      this.pending.clear();
      for (const waiter of waiters) waiter.reject(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }
}

function toError(failure: WriterFailure): Error {
  const error = new SqliteWriteError(failure);
  if (!failure.migration) return error;
  const { version, name } = failure.migration;
  return new StorageError('STORAGE_MIGRATION_FAILED', `SQLite migration ${version} (${name}) failed`, {
    cause: error,
  });
}

/**
 * The parent's Node flags (a loader such as tsx included) minus those a file-based worker refuses:
 * `--input-type` (set when the parent runs a script given with `-e`) makes a worker fail at start.
 */
function workerExecArgv(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--input-type') i += 1;
    else if (!flag.startsWith('--input-type=')) flags.push(flag);
  }
  return flags;
}
