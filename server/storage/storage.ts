import type { SqlExecutor } from './sql.ts';

/**
 * The one storage contract both back ends (SQLite, PostgreSQL) fulfil. Everything above this line of the
 * architecture talks to `Storage` only, and one acceptance suite (test/integration/storage.conformance.ts)
 * runs against every implementation.
 *
 * A document is stored as an optional snapshot (a Yjs update holding the merged state of every log entry
 * folded so far) plus an append-only log of updates with increasing ids. Loading is snapshot + replay;
 * compaction folds the entries it read into the snapshot and deletes exactly those, never an entry it did
 * not read (on PostgreSQL a concurrent append may commit a lower id after a higher one: it stays in the
 * log and is replayed; Yjs updates commute, so replay order does not change the result). A compaction from
 * memory (`compactFromState`) likewise deletes exactly the entries the caller's state is known to contain.
 */
export interface StoredDocument {
  /** Merged state of every log entry folded so far, or null when never compacted. */
  snapshot: Uint8Array | null;
  /**
   * Log entries not yet folded into the snapshot, in id order (append order for appends that did not
   * overlap in time). Raw bytes: a corrupt entry is returned as is, for the loader to skip.
   */
  updates: Uint8Array[];
  /** The log id of each entry of `updates`, in the same order. */
  ids: number[];
  /**
   * Highest log id included in `snapshot` or `updates`, or the snapshot's `up_to` when that is higher (see
   * `nextUpTo`); 0 when the document was never written.
   */
  upTo: number;
  /** The stored snapshot's own `up_to` (null when there is none): what `compactFromState` checks. */
  snapshotUpTo: number | null;
}

export interface CompactionResult {
  /** Number of log entries folded into the snapshot. */
  folded: number;
}

/** What a state held in memory is known to contain, for `compactFromState`. */
export interface StateBasis {
  /** `up_to` of the stored snapshot the state contains (as loaded, or as written by the last such compaction). */
  snapshotUpTo: number | null;
  /** Log entries the state contains. */
  ids: readonly number[];
}

/** Folds a snapshot (null when none) and log entries, in append order, into one new snapshot. */
export type MergeFunction = (
  snapshot: Uint8Array | null,
  updates: Uint8Array[],
) => Uint8Array | Promise<Uint8Array>;

export interface Storage {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Portable SQL (`$1..$n` placeholders) and transactions on the same database, for the repositories in
   * server/admin/. A transaction can append to a document's log (`tx.appendUpdates`) atomically with its
   * other rows. On SQLite every write, `appendUpdates` and `compact` included, waits while a transaction is
   * open, and reads outside it only see committed rows.
   */
  readonly sql: SqlExecutor;
  /** Applies pending versioned migrations; safe to call on every start and from several instances. */
  migrate(): Promise<void>;
  /**
   * Appends updates to a document's log in one transaction (all or none), durable (committed) when the
   * promise resolves. Returns the id of each update written, in list order, JS numbers; ids of one document
   * increase from one resolved append to the next. An empty list writes nothing and returns []. `arrivedAt`
   * (performance.now() clock): when the oldest of `updates` reached the server, if the caller held them back (a
   * document's write queue retrying a failed append, or waiting for its previous one where appends are not
   * grouped); SQLite's commit spacing counts from it.
   */
  appendUpdates(doc: string, updates: Uint8Array[], arrivedAt?: number): Promise<number[]>;
  /**
   * True when appends made while others are in flight are committed in the order they were made, many in one
   * transaction (SQLite's group commit): a document's write queue then hands every update over at once, so it
   * joins the next commit, instead of holding it back until the document's previous append is committed
   * (which, with commits spaced in time, meant a second commit per spacing for the updates held back).
   */
  readonly groupsAppends?: boolean;
  /** Snapshot plus log entries after it. A document never written loads as empty. */
  loadDocument(doc: string): Promise<StoredDocument>;
  /** Number of log entries not yet folded into the snapshot. */
  logLength(doc: string): Promise<number>;
  /**
   * Folds the current snapshot and the log entries it reads into a new snapshot with `merge`, in one
   * transaction that excludes concurrent compactions of the same document (also across instances).
   * Entries appended while it runs stay in the log, and appends are never blocked by it. Only the
   * entries handed to `merge` are deleted. With an empty log it returns `{ folded: 0 }` without calling
   * `merge`. If `merge` throws, nothing changes. `merge` may be async (it may be called more than once
   * when another instance compacted the same document meanwhile, so it must be pure).
   */
  compact(doc: string, merge: MergeFunction): Promise<CompactionResult>;
  /**
   * Compaction from a state the caller holds (a loaded document's): in one transaction, excluding other
   * compactions of the document as `compact` does, writes `state` as the snapshot and deletes exactly the log
   * entries `basis.ids` (those still there), if the stored snapshot is still the one `basis.snapshotUpTo`
   * names; otherwise changes nothing and resolves null. The caller vouches that `state` contains that snapshot
   * and those entries. Entries not in `basis.ids` stay in the log, whatever their ids. Resolves with the number
   * of entries deleted and the new snapshot's `up_to` (`nextUpTo`: the highest of `basis.ids`, and always above
   * `basis.snapshotUpTo`).
   */
  compactFromState(
    doc: string,
    state: Uint8Array,
    basis: StateBasis,
  ): Promise<(CompactionResult & { upTo: number }) | null>;
  /** Cheap round trip used by /healthz. Rejects when the database is unreachable or closed. */
  ping(): Promise<void>;
  /**
   * Waits for running compactions, then releases the database. Idempotent; every later call other
   * than close() rejects with `StorageError` code `STORAGE_CLOSED`.
   */
  close(): Promise<void>;
}
