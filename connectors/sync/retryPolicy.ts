import { isTransient, publicFailure, RemoteError } from './remoteErrors.ts';

export interface RetryPolicyOptions {
  baseMs: number;
  maxMs: number;
  /** Consecutive transient failures after which the link is quarantined. */
  quarantineAfter: number;
  random?: () => number;
}

export const defaultRetryPolicy: RetryPolicyOptions = {
  baseMs: 1000,
  maxMs: 5 * 60_000,
  quarantineAfter: 12,
};

/** What to do after a failed sync step. */
export type RetryDecision =
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'quarantine'; reason: string };

/**
 * Decides between waiting and quarantine (DESIGN section 3): transient failures (locked file, quota, 5xx)
 * wait with capped exponential back-off and full jitter, never less than the remote's Retry-After; anything
 * else (refused credentials, missing file, a request the remote rejects), or a transient failure that keeps
 * coming back, quarantines the link with the reason, so it is never retried in a hot loop.
 */
export function decideRetry(
  error: unknown,
  consecutiveFailures: number,
  options = defaultRetryPolicy,
): RetryDecision {
  const random = options.random ?? Math.random;
  if (!(error instanceof RemoteError)) {
    // The reason is shown to admins: an unexpected error's text may quote a remote, so only its code.
    const failure = publicFailure(error);
    return { action: 'quarantine', reason: `${failure.code}: ${failure.message}` };
  }
  if (!isTransient(error)) return { action: 'quarantine', reason: `${error.code}: ${error.message}` };
  if (consecutiveFailures >= options.quarantineAfter) {
    return {
      action: 'quarantine',
      reason: `${error.code} ${consecutiveFailures} times in a row: ${error.message}`,
    };
  }
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, consecutiveFailures - 1));
  const jittered = Math.round(ceiling / 2 + random() * (ceiling / 2));
  return {
    action: 'retry',
    delayMs: Math.max(jittered, error.retryAfterMs ?? 0),
    reason: `${error.code}: ${error.message}`,
  };
}
