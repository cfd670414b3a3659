import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { LiveClientsLeft } from '../../connectors/sync/supervisorPorts.ts';
import { RedisLiveClientsChannel } from '../../server/links/liveClientsChannel.ts';
import type { Logger } from '../../server/logger.ts';
import { waitFor } from '../helpers/clients.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('the live-clients channel between instances (real Redis)', () => {
  const channels: RedisLiveClientsChannel[] = [];
  const warnings: string[] = [];
  const logger = {
    warn: (...args: unknown[]) => warnings.push(String(args.at(-1))),
    error: (...args: unknown[]) => warnings.push(String(args.at(-1))),
  } as unknown as Logger;
  const connect = () => new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await Promise.all(channels.map((channel) => channel.close()));
  });

  it('carries the end and the state to the other instances, not back to the sender, and ignores malformed notices', async () => {
    // Other tests' servers may publish on the same channel: only this document's notices count.
    const doc = `dept-a/${randomUUID()}`;
    const heard = (channel: RedisLiveClientsChannel) => {
      const notices: LiveClientsLeft[] = [];
      channel.onLiveClientsLeft((notice) => notice.doc === doc && notices.push(notice));
      return notices;
    };
    const a = new RedisLiveClientsChannel(connect(), connect(), logger);
    const b = new RedisLiveClientsChannel(connect(), connect(), logger);
    channels.push(a, b);
    const [byA, byB] = [heard(a), heard(b)];
    await Promise.all([a.subscribed, b.subscribed]);

    const ydoc = new Y.Doc();
    ydoc.getText('t').insert(0, 'as the add-in left it');
    const stateAtEnd = Y.encodeStateAsUpdate(ydoc);
    // A malformed one first (its state is no Yjs update): dropped with a warning.
    const raw = connect();
    await raw.publish(
      'docbridge:live-clients-left',
      JSON.stringify({ from: 'x', doc, provider: 'microsoft', endedAt: 1, state: 'bm90IHlqcw' }),
    );
    raw.disconnect();
    a.liveClientsLeft({ doc, provider: 'microsoft', stateAtEnd, endedAt: 1_234 });

    await waitFor(() => byB.length > 0, 'the notice on the other instance', 10_000);
    expect(byB).toEqual([{ doc, provider: 'microsoft', stateAtEnd, endedAt: 1_234 }]);
    expect(byA).toEqual([]);
    expect(warnings).toContain('live-clients channel: ignored a malformed notice');
  });
});
