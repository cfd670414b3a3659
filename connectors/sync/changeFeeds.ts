import { timingSafeEqual } from 'node:crypto';
import type { ChangeFeed } from './changeFeed.ts';

interface Feed {
  provider: string;
  feed: ChangeFeed;
  channel: { channelId: string; token: string; resourceId: string; expiresAt: number } | null;
  polling: Promise<void> | null;
  renewing: Promise<void> | null;
}

/** Renew a watch channel when less than this is left of it. */
const RENEW_BEFORE_MS = 3600_000;

export interface ChangeFeedsOptions {
  /** Reports a failure that is retried by itself (the next poll or renewal). */
  warn(message: string, error: unknown): void;
  intervalMs: number;
  /** Where a provider's remote should post notifications (`<public URL><suite webhook path>`), or null: poll only. */
  webhookAddress(provider: string): string | null;
  onChanged(provider: string, remoteId: string): void;
}

/**
 * One change feed per credential that has running links on this instance, polled every `intervalMs` and,
 * when a public HTTPS URL is configured, pushed by a watch channel (renewed before it expires) whose
 * notifications trigger an immediate poll. Feeds only wake idle documents: Drive batches notifications
 * minutes apart, so active documents are polled directly by their runners.
 */
export class ChangeFeeds {
  private readonly feeds = new Map<string, Feed>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: ChangeFeedsOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      for (const key of this.feeds.keys()) void this.poll(key);
    }, this.options.intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.feeds.keys()].map((key) => this.drop(key)));
  }

  /** Makes the set of feeds match the credentials in use (`key` -> how to open its feed). */
  async reconcile(
    wanted: Map<string, { provider: string; open: () => ChangeFeed | undefined }>,
  ): Promise<void> {
    for (const key of [...this.feeds.keys()]) if (!wanted.has(key)) await this.drop(key);
    for (const [key, { provider, open }] of wanted) {
      if (this.feeds.has(key)) {
        void this.renew(key);
        continue;
      }
      const feed = open();
      if (!feed) continue;
      this.feeds.set(key, { provider, feed, channel: null, polling: null, renewing: null });
      // The first poll takes the start page token; neither it nor the channel holds up the caller's scan.
      void this.poll(key).then(() => this.renew(key));
    }
  }

  /**
   * A notification on a suite's webhook: true when it names one of our channels of `provider` with its token
   * (then, with `poll`, the feed is read at once; with `renew`, the channel is replaced), false for anything else.
   */
  notified(provider: string, channelId: string, token: string, poll: boolean, renew = false): boolean {
    for (const [key, feed] of this.feeds) {
      if (feed.provider !== provider || feed.channel?.channelId !== channelId) continue;
      const expected = Buffer.from(feed.channel.token);
      const given = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      if (poll) void this.poll(key);
      if (renew) {
        feed.channel.expiresAt = 0;
        void this.renew(key);
      }
      return true;
    }
    return false;
  }

  private poll(key: string): Promise<void> {
    const feed = this.feeds.get(key);
    if (!feed) return Promise.resolve();
    feed.polling ??= feed.feed
      .poll()
      .then((changed) => {
        for (const id of changed) this.options.onChanged(feed.provider, id);
      })
      .catch((error: unknown) => this.options.warn('change feed poll failed', error))
      .finally(() => {
        feed.polling = null;
      });
    return feed.polling;
  }

  /** Opens the feed's watch channel, or a new one before the old expires; one attempt at a time. */
  private renew(key: string): Promise<void> {
    const feed = this.feeds.get(key);
    const address = feed ? this.options.webhookAddress(feed.provider) : null;
    if (!feed?.feed.watch || !address) return Promise.resolve();
    if (feed.channel && feed.channel.expiresAt - Date.now() > RENEW_BEFORE_MS) return Promise.resolve();
    feed.renewing ??= (async () => {
      try {
        const old = feed.channel;
        feed.channel = (await feed.feed.watch?.(address)) ?? null;
        if (old) await feed.feed.stopWatch?.(old.channelId, old.resourceId);
      } catch (error) {
        this.options.warn('could not open a change notification channel; polling only', error);
      } finally {
        feed.renewing = null;
      }
    })();
    return feed.renewing;
  }

  private async drop(key: string): Promise<void> {
    const feed = this.feeds.get(key);
    this.feeds.delete(key);
    if (feed?.channel)
      await feed.feed.stopWatch?.(feed.channel.channelId, feed.channel.resourceId).catch(() => {});
  }
}
