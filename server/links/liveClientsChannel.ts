import { randomUUID } from 'node:crypto';
import type { Redis as IORedis } from 'ioredis';
import * as Y from 'yjs';
import { z } from 'zod';
import type { InstanceChannel, LiveClientsLeft } from '../../connectors/sync/supervisorPorts.ts';
import { errorSummary } from '../collab/durability.ts';
import type { Logger } from '../logger.ts';

const CHANNEL = 'docbridge:live-clients-left';

const noticeSchema = z.object({
  from: z.string().min(1),
  doc: z.string().min(1),
  provider: z.string().min(1),
  endedAt: z.number().finite(),
  /** The document as the last live client left it: a Yjs update, base64. */
  state: z.string().min(1),
});

/**
 * The instance channel of the link supervisor (`InstanceChannel`) over Redis pub/sub: when the last Word
 * add-in on a document leaves this instance, the instance running the document's link hears it at once
 * (with the state the add-in left, which it waits to hold through cross-instance sync) instead of after this
 * instance's reports ran out. Best effort: a notice lost while Redis is away leaves the reports to lapse.
 */
export class RedisLiveClientsChannel implements InstanceChannel {
  private readonly instance = randomUUID();
  private listener: ((notice: LiveClientsLeft) => void) | null = null;
  /** Settles once the subscription is in place (notices published before it are not heard). */
  readonly subscribed: Promise<void>;

  constructor(
    private readonly pub: IORedis,
    private readonly sub: IORedis,
    private readonly logger: Logger,
  ) {
    for (const client of [pub, sub])
      client.on('error', (error: Error) =>
        logger.warn({ err: errorSummary(error) }, 'live-clients channel: redis error'),
      );
    sub.on('message', (channel: string, message: string) => {
      if (channel === CHANNEL) this.received(message);
    });
    this.subscribed = sub.subscribe(CHANNEL).then(
      () => undefined,
      (error: unknown) =>
        logger.error({ err: errorSummary(error) }, 'live-clients channel: subscribe failed'),
    );
  }

  liveClientsLeft({ doc, provider, stateAtEnd, endedAt }: LiveClientsLeft): void {
    const notice = {
      from: this.instance,
      doc,
      provider,
      endedAt,
      state: Buffer.from(stateAtEnd).toString('base64'),
    };
    this.pub
      .publish(CHANNEL, JSON.stringify(notice))
      .catch((error: unknown) =>
        this.logger.warn({ err: errorSummary(error) }, 'live-clients channel: publish failed'),
      );
  }

  onLiveClientsLeft(listener: (notice: LiveClientsLeft) => void): void {
    this.listener = listener;
  }

  async close(): Promise<void> {
    await Promise.all([this.pub, this.sub].map((client) => client.quit().catch(() => undefined)));
  }

  private received(message: string): void {
    let notice: z.infer<typeof noticeSchema>;
    let stateAtEnd: Uint8Array;
    try {
      notice = noticeSchema.parse(JSON.parse(message));
      stateAtEnd = new Uint8Array(Buffer.from(notice.state, 'base64'));
      // A state that is not a Yjs update would fail every hand-over step that waits for it.
      Y.encodeStateVectorFromUpdate(stateAtEnd);
    } catch {
      this.logger.warn('live-clients channel: ignored a malformed notice');
      return;
    }
    if (notice.from === this.instance) return;
    this.listener?.({ doc: notice.doc, provider: notice.provider, endedAt: notice.endedAt, stateAtEnd });
  }
}
