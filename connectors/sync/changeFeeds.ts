import { timingSafeEqual } from 'node:crypto';
import type { ChangeFeed, WatchChannel } from './changeFeed.ts';

interface Feed {
  provider: string;
  feed: ChangeFeed;
  channel: WatchChannel | null;
  /** How long the channel was granted for when last opened or extended (renewal margin scales with it). */
  grantedMs: number;
  /** No new attempt at the channel before this time (after a failure). */
  retryAt: number;
  timer: NodeJS.Timeout | null;
  polling: Promise<void> | null;
  renewing: Promise<void> | null;
}

/** Renew a watch channel when less than this is left of it (or half its lifetime, if shorter). */
const RENEW_BEFORE_MS = 3600_000;
/** After a failed attempt at a channel, the next waits this long (or a quarter of the renewal margin). */
const RETRY_AFTER_FAILURE_MS = 60_000;
/** setTimeout's ceiling (about 24.8 days): a channel granted longer is renewed early, at the ceiling. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface ChangeFeedsOptions {
  /** Reports a failure that is retried by itself (the next poll or renewal). */
  warn(message: string, error: unknown): void;
  intervalMs: number;
  /** The lifetime asked for a push channel; null: each provider's own default (Graph 3 days, Drive 1 day). */
  channelLifetimeMs?: number | null;
  /** Where a provider's remote should post notifications (`<public URL><suite webhook path>`), or null: poll only. */
  webhookAddress(provider: string): string | null;
  onChanged(provider: string, remoteId: string): void;
}

/**
 * One change feed per credential that has running links on this instance, polled every `intervalMs` and,
 * when a public HTTPS URL is configured, pushed by a watch channel whose notifications trigger an immediate
 * poll. A timer renews the channel before it expires: extended in place where the provider allows it
 * (Graph), replaced by a new one otherwise (Drive); the scans retry a renewal that failed. Feeds only wake
 * idle documents: Drive batches notifications minutes apart, so active documents are polled directly by
 * their runners.
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
    for (const feed of this.feeds.values()) if (feed.timer) clearTimeout(feed.timer);
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
      this.feeds.set(key, {
        provider,
        feed,
        channel: null,
        grantedMs: 0,
        retryAt: 0,
        timer: null,
        polling: null,
        renewing: null,
      });
      // The first poll takes the start page token; neither it nor the channel holds up the caller's scan.
      void this.poll(key).then(() => this.renew(key));
    }
  }

  /**
   * A notification on a suite's webhook: true when it names one of our channels of `provider` with its token
   * (then, with `poll`, the feed is read at once; with `renew`, the channel is renewed now: Graph's
   * `reauthorizationRequired`), false for anything else.
   */
  notified(provider: string, channelId: string, token: string, poll: boolean, renew = false): boolean {
    for (const [key, feed] of this.feeds) {
      if (feed.provider !== provider || feed.channel?.channelId !== channelId) continue;
      const expected = Buffer.from(feed.channel.token);
      const given = Buffer.from(token);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      if (poll) void this.poll(key);
      if (renew) void this.renew(key, true);
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

  /**
   * Opens the feed's watch channel, or renews it when its renewal is due (or `now`); one attempt at a time,
   * and after a failure none before `retryAt`.
   */
  private renew(key: string, now = false): Promise<void> {
    const feed = this.feeds.get(key);
    const address = feed ? this.options.webhookAddress(feed.provider) : null;
    if (!feed?.feed.watch || !address) return Promise.resolve();
    if (!now && (Date.now() < feed.retryAt || (feed.channel && Date.now() < renewalDue(feed)))) {
      return Promise.resolve();
    }
    feed.renewing ??= (async () => {
      const lifetimeMs = this.options.channelLifetimeMs ?? undefined;
      try {
        const old = feed.channel;
        if (old && feed.feed.renewWatch) {
          feed.channel = await feed.feed.renewWatch(old, lifetimeMs);
        } else {
          feed.channel = (await feed.feed.watch?.(address, lifetimeMs)) ?? null;
          if (old) await feed.feed.stopWatch?.(old.channelId, old.resourceId);
        }
        if (feed.channel) feed.grantedMs = feed.channel.expiresAt - Date.now();
        feed.retryAt = 0;
      } catch (error) {
        const margin = feed.channel ? renewBefore(feed) : RETRY_AFTER_FAILURE_MS;
        feed.retryAt = Date.now() + Math.min(RETRY_AFTER_FAILURE_MS, margin / 4);
        this.options.warn('could not open or renew a change notification channel; polling only', error);
      } finally {
        feed.renewing = null;
      }
      this.schedule(key, feed);
    })();
    return feed.renewing;
  }

  /** Arms the renewal timer for the feed's channel (the scans also call `renew`, so a lost timer is harmless). */
  private schedule(key: string, feed: Feed): void {
    if (feed.timer) clearTimeout(feed.timer);
    feed.timer = null;
    if (!feed.channel || this.feeds.get(key) !== feed) return;
    const due = Math.max(renewalDue(feed), feed.retryAt) - Date.now();
    // Renewed without re-checking the time: a timer may fire a millisecond before Date.now() reaches `due`.
    feed.timer = setTimeout(() => void this.renew(key, true), Math.min(Math.max(due, 0), MAX_TIMER_MS));
    feed.timer.unref();
  }

  private async drop(key: string): Promise<void> {
    const feed = this.feeds.get(key);
    this.feeds.delete(key);
    if (feed?.timer) clearTimeout(feed.timer);
    if (feed?.channel)
      await feed.feed.stopWatch?.(feed.channel.channelId, feed.channel.resourceId).catch(() => {});
  }
}

/** How long before its expiry a channel is renewed: an hour, or half its lifetime when that is shorter. */
function renewBefore(feed: Feed): number {
  return Math.min(RENEW_BEFORE_MS, feed.grantedMs / 2);
}

/** When the feed's channel should be renewed. */
function renewalDue(feed: Feed): number {
  return (feed.channel?.expiresAt ?? 0) - renewBefore(feed);
}
