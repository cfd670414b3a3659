import { Redis } from '@hocuspocus/extension-redis';
import { Redis as IORedis } from 'ioredis';

/**
 * Joins several Docbridge instances through Redis pub/sub (`@hocuspocus/extension-redis`): an update applied on
 * one instance reaches clients of the same document on every other. Each instance still logs every update it
 * applies, so an edit is durable wherever its author is acknowledged.
 */
export function createRedisExtension(url: string): Redis {
  return new Redis({
    prefix: 'docbridge',
    createClient: () => new IORedis(url, { maxRetriesPerRequest: null }),
  });
}
