/** Stable codes callers (health checks, logs, the admin API) can switch on without parsing messages. */
export type StorageErrorCode =
  | 'STORAGE_CLOSED'
  | 'STORAGE_UNAVAILABLE'
  | 'STORAGE_MIGRATION_FAILED'
  | 'STORAGE_COMPACTION_CONFLICT'
  | 'STORAGE_SQL_INVALID'
  | 'STORAGE_TRANSACTION_CLOSED';

/**
 * Errors raised by the storage layer itself (driver errors that are not ours to interpret are kept as
 * `cause`). Exists so the server can tell "database down" from "closed during shutdown" by `code`.
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
