import { RemoteError, retryAfterMs, transportCode } from '../sync/remoteErrors.ts';

/** Google's canonical error statuses: the only words of Google's error body that reach a message. */
const canonicalStatuses = new Set([
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'UNAUTHENTICATED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
]);

interface GaxiosLike {
  response?: { status?: number; headers?: unknown; data?: unknown };
  code?: string;
  message?: string;
}

/**
 * Translates a googleapis (gaxios) failure into the engine's terms. Google's body is
 * `{ error: { code, message, status } }`; `FAILED_PRECONDITION` is a stale writeControl revision, 429 (and a
 * 403 carrying a rate-limit reason) is quota, 5xx and transport errors are transient. The message names the
 * call, the HTTP status and Google's canonical status only: Google's (or an impostor's) free text stays out.
 */
export function toRemoteError(error: unknown, what: string): RemoteError {
  if (error instanceof RemoteError) return error;
  const failure = (error ?? {}) as GaxiosLike;
  const status = failure.response?.status;
  const body = (failure.response?.data ?? {}) as {
    error?: { status?: string; message?: string; errors?: { reason?: string }[] };
  };
  const googleStatus = body.error?.status ?? '';
  const answered =
    status === undefined
      ? `no answer${transportCode(failure.code) ? ` (${transportCode(failure.code)})` : ''}`
      : `HTTP ${status}${canonicalStatuses.has(googleStatus) ? ` ${googleStatus}` : ''}`;
  const message = `${what} failed: ${answered}`;
  if (status === undefined) return new RemoteError('REMOTE_UNAVAILABLE', message, null, { cause: error });
  const retryAfter = retryAfterMs(failure.response?.headers);
  if (status === 429 || googleStatus === 'RESOURCE_EXHAUSTED' || isRateLimitReason(body)) {
    return new RemoteError('REMOTE_RATE_LIMITED', message, retryAfter);
  }
  if (status >= 500) return new RemoteError('REMOTE_UNAVAILABLE', message, retryAfter);
  if (googleStatus === 'FAILED_PRECONDITION') return new RemoteError('LINK_REVISION_CONFLICT', message);
  if (status === 401 || status === 403) return new RemoteError('REMOTE_AUTH_FAILED', message);
  if (status === 404) return new RemoteError('REMOTE_NOT_FOUND', message);
  return new RemoteError('REMOTE_REJECTED', message);
}

function isRateLimitReason(body: { error?: { errors?: { reason?: string }[] } }): boolean {
  return (body.error?.errors ?? []).some(
    (e) => e.reason === 'rateLimitExceeded' || e.reason === 'userRateLimitExceeded',
  );
}
