import { RemoteError, retryAfterMs } from '../sync/remoteErrors.ts';

/** The parts of a failed Graph answer that matter: status, Graph's error code, Retry-After. */
export interface GraphFailure {
  status: number | null;
  code: string;
  message: string;
  retryAfterMs: number | null;
}

/** @azure/identity's errors when the authority refuses the app (a token could not be had). */
const IDENTITY_ERRORS = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
]);

/** Reads a GraphError (from the Graph client), an identity error, or a thrown transport error. */
export function graphFailure(error: unknown): GraphFailure {
  // The Graph client wraps what its auth provider throws in a GraphError whose code is the original name.
  const { name, code } = (error ?? {}) as { name?: string; code?: string | null };
  if (IDENTITY_ERRORS.has(name ?? '') || IDENTITY_ERRORS.has(code ?? '')) {
    const status = (error as { statusCode?: number }).statusCode;
    // The authority answered and refused (4xx); no answer or a 5xx is an outage, not a refusal.
    const refused =
      status === undefined
        ? !/ECONNREFUSED|ETIMEDOUT|ENOTFOUND|fetch failed|network/i.test(String((error as Error).message))
        : status < 500;
    // Only Entra's error number is passed on (AADSTS7000215: wrong secret...): the rest may echo request data.
    const aadsts = /AADSTS\d+/.exec(String((error as Error).message))?.[0];
    const message = refused
      ? `the sign-in authority refused the app credential${aadsts ? ` (${aadsts})` : ''}`
      : 'the sign-in authority did not answer';
    return { status: refused ? 401 : null, code: 'authentication', message, retryAfterMs: null };
  }
  const failure = (error ?? {}) as {
    statusCode?: number;
    code?: string | null;
    message?: string;
    headers?: unknown;
  };
  const status = typeof failure.statusCode === 'number' && failure.statusCode > 0 ? failure.statusCode : null;
  return {
    status,
    code: failure.code ?? '',
    message: failure.message ?? String(error),
    retryAfterMs: retryAfterMs(failure.headers),
  };
}

/** Reads a failed fetch Response with Graph's error body `{ error: { code, message } }`. */
export async function responseFailure(response: Response): Promise<GraphFailure> {
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  return {
    status: response.status,
    code: body.error?.code ?? '',
    message: body.error?.message ?? response.statusText,
    retryAfterMs: retryAfterMs(response.headers),
  };
}

/** How long a locked file is left alone before the next try when Graph gives no Retry-After. */
const LOCKED_RETRY_MS = 10_000;

/**
 * Graph's answers in the engine's terms (reference D): 412 is a stale eTag (pull, merge, push again), 423 a
 * file held open in Word (wait; never forced), 429 and 503 wait for Retry-After, other 5xx and transport
 * errors are transient, 401/403 are refused credentials, 404 a missing file, the rest a rejected request.
 */
export function toRemoteError(failure: GraphFailure, what: string): RemoteError {
  const message = `${what}: ${failure.status ?? 'no response'} ${failure.code} ${failure.message}`.trim();
  const { status } = failure;
  if (status === null) return new RemoteError('REMOTE_UNAVAILABLE', message);
  if (status === 412) return new RemoteError('LINK_REVISION_CONFLICT', message);
  if (status === 423) {
    return new RemoteError(
      'REMOTE_LOCKED',
      `open in Word: the file is locked by its editor; edits wait until it is closed (${message})`,
      failure.retryAfterMs ?? LOCKED_RETRY_MS,
    );
  }
  if (status === 429) return new RemoteError('REMOTE_RATE_LIMITED', message, failure.retryAfterMs);
  if (status >= 500) return new RemoteError('REMOTE_UNAVAILABLE', message, failure.retryAfterMs);
  if (status === 401 || status === 403) return new RemoteError('REMOTE_AUTH_FAILED', message);
  if (status === 404 || status === 410) return new RemoteError('REMOTE_NOT_FOUND', message);
  return new RemoteError('REMOTE_REJECTED', message);
}
