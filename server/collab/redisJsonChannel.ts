import { randomUUID } from 'node:crypto';
import type { Redis as IORedis } from 'ioredis';
import { z } from 'zod';
import type { Logger } from '../logger.ts';
import { errorSummary } from './durability.ts';

export interface RedisJsonChannelOptions<Schema extends z.ZodType> {
  /** The Redis pub/sub channel. */
  channel: string;
  /** How logs name the channel (`close-order channel`) and one of its messages (`order`). */
  label: string;
  noun: string;
  /** What a message holds; anything else received is dropped with a warning. */
  schema: Schema;
  /** A connection to publish on, and one to subscribe with (a subscriber can do nothing else). */
  pub: IORedis;
  sub: IORedis;
  logger: Logger;
  /** Each valid message another instance published. */
  onMessage: (message: z.output<Schema>) => void;
}

const senderSchema = z.object({ from: z.string().min(1) });

/**
 * One Redis pub/sub channel between the instances of a deployment, carrying JSON messages: each goes out
 * with this instance's id, comes back checked against the schema (a malformed one is dropped with a
 * warning: it may come from another version, or from anyone who can reach Redis), and is never delivered
 * to the instance that sent it. Redis errors are logged, never thrown. The close-order channel of
 * `OpenConnections` and the link supervisor's live-clients channel are two of these.
 */
export class RedisJsonChannel<Schema extends z.ZodType> {
  private readonly instance = randomUUID();
  /** Settles once the subscription is in place (messages published before it are not heard). */
  readonly subscribed: Promise<void>;

  constructor(private readonly options: RedisJsonChannelOptions<Schema>) {
    const { pub, sub, logger, label } = options;
    for (const client of [pub, sub])
      client.on('error', (error: Error) =>
        logger.warn({ err: errorSummary(error) }, `${label}: redis error`),
      );
    sub.on('message', (channel: string, message: string) => {
      if (channel === options.channel) this.received(message);
    });
    this.subscribed = sub.subscribe(options.channel).then(
      () => undefined,
      (error: unknown) => logger.error({ err: errorSummary(error) }, `${label}: subscribe failed`),
    );
  }

  /**
   * Publishes `message` to the other instances; settles when Redis took it. While Redis is away ioredis
   * queues it, so how long to wait, and how to report a failure, is the caller's.
   */
  publish(message: z.input<Schema>): Promise<number> {
    return this.options.pub.publish(
      this.options.channel,
      JSON.stringify({ ...(message as object), from: this.instance }),
    );
  }

  /** Closes both Redis connections. */
  async close(): Promise<void> {
    await Promise.all(
      [this.options.pub, this.options.sub].map((client) => client.quit().catch(() => undefined)),
    );
  }

  private received(text: string): void {
    const { schema, logger, label, noun, onMessage } = this.options;
    let from: string;
    let message: z.output<Schema>;
    try {
      const raw: unknown = JSON.parse(text);
      from = senderSchema.parse(raw).from;
      message = schema.parse(raw);
    } catch {
      logger.warn(`${label}: ignored a malformed ${noun}`);
      return;
    }
    if (from !== this.instance) onMessage(message);
  }
}
