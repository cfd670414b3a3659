import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InstanceLiveness } from '../../server/collab/instanceLiveness.ts';
import { waitFor } from '../helpers/clients.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('InstanceLiveness (real Redis)', () => {
  const connections: Redis[] = [];
  const connect = () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: () => null });
    connections.push(redis);
    return redis;
  };
  afterAll(() => {
    for (const redis of connections) redis.disconnect();
  });

  it('reports a peer that stops beating once, with the documents it had open, and not a live one', async () => {
    const prefix = `docbridge-test-${randomUUID().slice(0, 8)}`;
    const lapses: { id: string; documents: string[] }[] = [];
    const timing = { beatMs: 100, lapseMs: 400 };
    const survivor = new InstanceLiveness({
      redis: connect(),
      prefix,
      id: 'survivor',
      ...timing,
      onLapse: (id, documents) => lapses.push({ id, documents }),
    });
    const steady = new InstanceLiveness({
      redis: connect(),
      prefix,
      id: 'steady',
      ...timing,
      onLapse: () => {},
    });
    const dyingConnection = connect();
    const dying = new InstanceLiveness({
      redis: dyingConnection,
      prefix,
      id: 'dying',
      ...timing,
      onLapse: () => {},
      onError: () => {},
    });
    await Promise.all([survivor.start(), steady.start(), dying.start()]);
    dying.noteOpened('dept-a/one');
    dying.noteOpened('dept-a/two');
    dying.noteClosed('dept-a/two');
    // Let the survivor see both peers alive, then cut the dying one off without any goodbye.
    await new Promise((r) => setTimeout(r, 500));
    expect(lapses).toEqual([]);
    dyingConnection.disconnect();

    await waitFor(() => lapses.length > 0, 'the lapse to be reported', 20_000);
    await new Promise((r) => setTimeout(r, 600));
    expect(lapses).toEqual([{ id: 'dying', documents: ['dept-a/one'] }]);
    await Promise.all([survivor.stop(), steady.stop()]);
  });
});
