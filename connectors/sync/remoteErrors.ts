/**
 * What can go wrong talking to a remote, in the terms the sync engine acts on. Connectors translate their
 * provider's status codes into these; the engine never looks at HTTP.
 */
export class RemoteError extends Error {
  constructor(
    readonly code: RemoteErrorCode,
    message: string,
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export type RemoteErrorCode =
  /** The remote changed since the base revision (Google FAILED_PRECONDITION, Graph 412): pull, then push again. */
  | 'LINK_REVISION_CONFLICT'
  /** The file is locked by its editor (Graph 423): wait and retry, status says so. */
  | 'REMOTE_LOCKED'
  /** Over quota (429): wait at least `retryAfterMs`. */
  | 'REMOTE_RATE_LIMITED'
  /** 5xx, timeouts, connection errors: retry with back-off. */
  | 'REMOTE_UNAVAILABLE'
  /** Credentials refused (401 after a token refresh, 403): not retried in a loop; quarantined with the reason. */
  | 'REMOTE_AUTH_FAILED'
  /** The file is gone or was never there (404, trashed). */
  | 'REMOTE_NOT_FOUND'
  /** The remote rejected the request itself (400 INVALID_ARGUMENT): a bug or content we cannot express. */
  | 'REMOTE_REJECTED';

/** Errors worth retrying after a wait; the others quarantine the link at once. */
export function isTransient(error: RemoteError): boolean {
  return (
    error.code === 'REMOTE_LOCKED' ||
    error.code === 'REMOTE_RATE_LIMITED' ||
    error.code === 'REMOTE_UNAVAILABLE'
  );
}
