import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import type { RateLimiter } from '../../connectors/sync/rateLimiter.ts';
import { redisQuotas } from '../../server/links/redisQuota.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe("one credential's quota shared by several instances (real Redis)", () => {
  const connections: Redis[] = [];
  /** A connection as the server makes it for quotas: commands fail at once while disconnected. */
  const connect = (url = REDIS_URL) => {
    const redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: 2000,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    connections.push(redis);
    return redis;
  };
  afterAll(() => {
    for (const redis of connections) redis.disconnect();
  });

  /** Grant times (ms from the start) of `calls` acquisitions on each limiter at once, sorted. */
  const grants = async (limiters: RateLimiter[], calls: number) => {
    const started = Date.now();
    const times: number[] = [];
    await Promise.all(
      limiters.flatMap((limiter) =>
        Array.from({ length: calls }, () => limiter.acquire().then(() => times.push(Date.now() - started))),
      ),
    );
    return times.sort((a, b) => a - b);
  };

  it('keeps two instances together under the rate one alone may use', async () => {
    const scope = `test-${randomUUID()}`;
    const one = connect();
    const two = connect();
    await Promise.all([one, two].map((redis) => new Promise((ready) => redis.once('ready', ready))));
    // 20 a second with a burst of 2, for the credential, whichever instance asks.
    const limiters = [redisQuotas(one)(scope)('reads', 20, 2), redisQuotas(two)(scope)('reads', 20, 2)];
    const times = await grants(limiters, 12);
    expect(times).toHaveLength(24);
    // Two at once, then one per 50 ms across both: the 24th cannot come before 22 intervals (each instance
    // alone would have granted its 12 by 10 intervals).
    for (const [k, time] of times.entries())
      if (k >= 2) expect(time).toBeGreaterThanOrEqual((k - 1) * 50 - 10);
  });

  it("keeps each instance's own budget when Redis cannot be reached, rather than stopping its links", async () => {
    const unreachable = connect('redis://127.0.0.1:1');
    const limiter = redisQuotas(unreachable)(`test-${randomUUID()}`)('reads', 50, 2);
    const times = await grants([limiter], 5);
    expect(times).toHaveLength(5);
  });
});
