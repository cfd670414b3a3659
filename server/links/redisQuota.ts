import type { Redis } from 'ioredis';
import { type LimiterFactory, RateLimiter, type SharedBucket } from '../../connectors/sync/rateLimiter.ts';

/**
 * A token bucket in Redis, refilled by Redis' own clock (one clock for every instance, whatever theirs say).
 * Returns 0 when a token was taken, else the milliseconds until one will be there. The key expires once
 * unused long enough to have refilled.
 */
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) * 1000 / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst * 1000 / rate) + 1000)
return wait
`;

type QuotaRedis = Redis & {
  docbridgeQuotaTake(key: string, perSecond: number, burst: number): Promise<number>;
};

/**
 * The limiters of each credential (`scope`) when several instances run links (REDIS_URL set): each call takes
 * from a bucket every instance shares, so together they stay under the remote's per-credential quota
 * (reference G: 300 reads and 60 writes a minute per Google user), instead of each spending the whole of it.
 * `redis` should fail fast when disconnected: the limiter then falls back to its local bucket rather than
 * stall every link.
 */
export function redisQuotas(redis: Redis): (scope: string) => LimiterFactory {
  redis.defineCommand('docbridgeQuotaTake', { numberOfKeys: 1, lua: TAKE });
  const client = redis as QuotaRedis;
  return (scope) => (name, perSecond, burst) => {
    const key = `docbridge:quota:${scope}:${name}`;
    const bucket: SharedBucket = {
      take: async () => Number(await client.docbridgeQuotaTake(key, perSecond, burst)),
    };
    return new RateLimiter(perSecond, burst, bucket);
  };
}
