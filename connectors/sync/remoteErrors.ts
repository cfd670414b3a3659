/** Longest message a RemoteError carries to callers, link status and logs. */
export const MAX_REMOTE_MESSAGE = 200;

/**
 * What can go wrong talking to a remote, in the terms the sync engine acts on. Connectors translate their
 * provider's status codes into these; the engine never looks at HTTP. The message is written by Docbridge
 * (which call, which status), never the remote's own text: an endpoint may be hostile or internal, and its
 * answer must not reach an admin through an error. It is bounded to MAX_REMOTE_MESSAGE characters.
 */
export class RemoteError extends Error {
  constructor(
    readonly code: RemoteErrorCode,
    message: string,
    readonly retryAfterMs: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message.slice(0, MAX_REMOTE_MESSAGE), options);
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

/**
 * A failure as an API caller or an admin sees it: a stable code and a bounded, generic message. Remote
 * errors keep their (Docbridge-written) message; anything else is an internal error whose text is for the
 * logs only, since it may quote what a remote answered.
 */
export function publicFailure(error: unknown): { code: string; message: string } {
  if (error instanceof RemoteError) return { code: error.code, message: error.message };
  const code = transportCode((error as { code?: unknown } | null)?.code) ?? 'INTERNAL_ERROR';
  return { code, message: 'the step failed inside Docbridge (details in the server log)' };
}

/** A transport error code (ECONNREFUSED, ETIMEDOUT...) when it looks like one, else null: never free text. */
export function transportCode(code: unknown): string | null {
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,39}$/.test(code) ? code : null;
}

/**
 * Retry-After in milliseconds (seconds or an HTTP date), from a headers object or a fetch Headers: how long a
 * remote asked to be left alone after a 429, 503 or 423, whichever suite it is.
 */
export function retryAfterMs(headers: unknown): number | null {
  // gaxios hands over a fetch-style Headers (possibly from another realm) or a plain object.
  const getter = (headers as { get?: unknown } | undefined)?.get;
  const raw =
    typeof getter === 'function'
      ? (getter.call(headers, 'retry-after') as string | null)
      : ((headers as Record<string, string | undefined> | undefined)?.['retry-after'] ?? null);
  if (!raw) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
