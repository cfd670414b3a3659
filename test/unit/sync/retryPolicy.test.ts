import { describe, expect, it } from 'vitest';
import { RemoteError, retryAfterMs } from '../../../connectors/sync/remoteErrors.ts';
import { decideRetry, defaultRetryPolicy } from '../../../connectors/sync/retryPolicy.ts';

const policy = { ...defaultRetryPolicy, random: () => 1 };

describe('retry policy', () => {
  it('backs off exponentially, capped, for transient failures', () => {
    const unavailable = new RemoteError('REMOTE_UNAVAILABLE', '503');
    const delays = [1, 2, 3, 4, 10].map((n) => decideRetry(unavailable, n, policy));
    expect(delays.map((d) => (d.action === 'retry' ? d.delayMs : -1))).toEqual([
      1000, 2000, 4000, 8000, 300_000,
    ]);
  });

  it('never retries sooner than Retry-After', () => {
    const limited = new RemoteError('REMOTE_RATE_LIMITED', '429', 30_000);
    expect(decideRetry(limited, 1, policy)).toMatchObject({ action: 'retry', delayMs: 30_000 });
  });

  it('reads Retry-After as seconds or an HTTP date, from fetch Headers (Graph, gaxios) or a plain object', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': '7' }))).toBe(7000);
    expect(retryAfterMs({ 'retry-after': '0' })).toBe(0);
    const date = new Date(Date.now() + 60_000).toUTCString();
    expect(retryAfterMs(new Headers({ 'Retry-After': date }))).toBeGreaterThan(55_000);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 1970 00:00:00 GMT' })).toBe(0);
    expect(retryAfterMs(new Headers())).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs({ 'retry-after': 'soon' })).toBeNull();
  });

  it('jitters between half and all of the ceiling', () => {
    const low = decideRetry(new RemoteError('REMOTE_LOCKED', '423'), 3, { ...policy, random: () => 0 });
    expect(low).toMatchObject({ action: 'retry', delayMs: 2000 });
  });

  it('quarantines refused credentials, missing files and rejected requests at once, with the reason', () => {
    for (const code of ['REMOTE_AUTH_FAILED', 'REMOTE_NOT_FOUND', 'REMOTE_REJECTED'] as const) {
      expect(decideRetry(new RemoteError(code, 'why'), 1, policy)).toEqual({
        action: 'quarantine',
        reason: `${code}: why`,
      });
    }
  });

  it('quarantines a transient failure that keeps coming back', () => {
    const decision = decideRetry(
      new RemoteError('REMOTE_UNAVAILABLE', '503'),
      policy.quarantineAfter,
      policy,
    );
    expect(decision.action).toBe('quarantine');
  });
});
