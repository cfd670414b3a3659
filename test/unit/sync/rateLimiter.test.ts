import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../connectors/sync/rateLimiter.ts';

describe('RateLimiter (one credential’s quota, shared by its documents)', () => {
  it('serves waiters first come, first served, so documents share the budget in turn', async () => {
    const limiter = new RateLimiter(50, 1);
    const order: string[] = [];
    await Promise.all(
      ['doc-a', 'doc-b', 'doc-c', 'doc-a', 'doc-b', 'doc-c'].map((doc, i) =>
        limiter.acquire().then(() => order.push(`${doc}#${i}`)),
      ),
    );
    expect(order).toEqual(['doc-a#0', 'doc-b#1', 'doc-c#2', 'doc-a#3', 'doc-b#4', 'doc-c#5']);
  });

  it('serves urgent calls (documents someone has open) before every waiting background call', async () => {
    const limiter = new RateLimiter(50, 1);
    const order: string[] = [];
    const calls = [
      ['background-a', false],
      ['background-b', false],
      ['open-x', true],
      ['background-c', false],
      ['open-y', true],
    ] as const;
    await Promise.all(calls.map(([name, urgent]) => limiter.acquire(urgent).then(() => order.push(name))));
    // The burst of one went to the first caller at once; the rest wait, and the open documents go first.
    expect(order).toEqual(['background-a', 'open-x', 'open-y', 'background-b', 'background-c']);
  });

  it('never grants more than the burst plus the rate allows', async () => {
    const limiter = new RateLimiter(20, 2);
    const started = Date.now();
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () => limiter.acquire().then(() => granted.push(Date.now() - started))),
    );
    // Two at once (the burst), then one per 50 ms: the sixth cannot come before 4 intervals have passed.
    expect(granted.sort((a, b) => a - b)[5]).toBeGreaterThanOrEqual(4 * 50 - 5);
  });

  it('holds every call while paused by a Retry-After', async () => {
    const limiter = new RateLimiter(100, 5);
    limiter.pauseFor(120);
    const started = Date.now();
    await limiter.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(115);
    expect(limiter.waiting).toBe(0);
  });

  it('reports how long calls lately waited for a token: nothing while under the rate, more once queued', async () => {
    const limiter = new RateLimiter(20, 2);
    await limiter.acquire();
    expect(limiter.recentWaitMs).toBe(0);
    // Past the burst, callers queue 50 ms apart: the later ones wait (a lower bound: the queue cannot be faster).
    await Promise.all(Array.from({ length: 8 }, () => limiter.acquire()));
    expect(limiter.recentWaitMs).toBeGreaterThanOrEqual(50);
  });

  it('holds a call the shared bucket granted while a Retry-After came in meanwhile', async () => {
    // The first take answers when the test says (Redis slow), later ones at once.
    let grant: ((waitMs: number) => void) | null = null;
    let takes = 0;
    const take = () =>
      takes++ === 0 ? new Promise<number>((resolve) => (grant = resolve)) : Promise.resolve(0);
    const limiter = new RateLimiter(100, 5, { take });
    const started = Date.now();
    const acquired = limiter.acquire();
    limiter.pauseFor(150);
    grant!(0);
    await acquired;
    expect(Date.now() - started).toBeGreaterThanOrEqual(145);
  });
});
