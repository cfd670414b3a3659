import type { Redis as IORedis } from 'ioredis';
import * as Y from 'yjs';
import { z } from 'zod';
import type { InstanceChannel, LiveClientsLeft } from '../../connectors/sync/supervisorPorts.ts';
import { errorSummary } from '../collab/durability.ts';
import { RedisJsonChannel } from '../collab/redisJsonChannel.ts';
import type { Logger } from '../logger.ts';

const noticeSchema = z.object({
  doc: z.string().min(1),
  provider: z.string().min(1),
  endedAt: z.number().finite(),
  /** The document as the last live client left it: a Yjs update, base64. */
  state: z
    .string()
    .min(1)
    .transform((base64) => new Uint8Array(Buffer.from(base64, 'base64')))
    // A state that is not a Yjs update would fail every hand-over step that waits for it.
    .refine(isYjsUpdate, 'not a Yjs update'),
});

/**
 * The instance channel of the link supervisor (`InstanceChannel`) over Redis pub/sub: when the last Word
 * add-in on a document leaves this instance, the instance running the document's link hears it at once
 * (with the state the add-in left, which it waits to hold through cross-instance sync) instead of after this
 * instance's reports ran out. Best effort: a notice lost while Redis is away leaves the reports to lapse.
 */
export class RedisLiveClientsChannel implements InstanceChannel {
  private readonly channel: RedisJsonChannel<typeof noticeSchema>;
  private listener: ((notice: LiveClientsLeft) => void) | null = null;
  /** Settles once the subscription is in place (notices published before it are not heard). */
  readonly subscribed: Promise<void>;

  constructor(
    pub: IORedis,
    sub: IORedis,
    private readonly logger: Logger,
  ) {
    this.channel = new RedisJsonChannel({
      channel: 'docbridge:live-clients-left',
      label: 'live-clients channel',
      noun: 'notice',
      schema: noticeSchema,
      pub,
      sub,
      logger,
      onMessage: ({ doc, provider, endedAt, state }) =>
        this.listener?.({ doc, provider, endedAt, stateAtEnd: state }),
    });
    this.subscribed = this.channel.subscribed;
  }

  liveClientsLeft({ doc, provider, stateAtEnd, endedAt }: LiveClientsLeft): void {
    this.channel
      .publish({ doc, provider, endedAt, state: Buffer.from(stateAtEnd).toString('base64') })
      .catch((error: unknown) =>
        this.logger.warn({ err: errorSummary(error) }, 'live-clients channel: publish failed'),
      );
  }

  onLiveClientsLeft(listener: (notice: LiveClientsLeft) => void): void {
    this.listener = listener;
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}

function isYjsUpdate(bytes: Uint8Array): boolean {
  try {
    Y.encodeStateVectorFromUpdate(bytes);
    return true;
  } catch {
    return false;
  }
}
