import { describe, expect, it } from 'vitest';
import type { ChangeFeed, WatchChannel } from '../../../connectors/sync/changeFeed.ts';
import { ChangeFeeds } from '../../../connectors/sync/changeFeeds.ts';
import { RemoteError } from '../../../connectors/sync/remoteErrors.ts';

/**
 * An in-memory push provider: channels live `grantMs` (at most what is asked for) and, when `extendable`, can
 * be extended in place (as Graph's subscriptions are) instead of replaced (as Drive's channels are).
 */
class MemoryPushFeed implements ChangeFeed {
  readonly opened: WatchChannel[] = [];
  readonly stopped: string[] = [];
  readonly extended: string[] = [];
  readonly extendedAt: number[] = [];
  asked: (number | undefined)[] = [];
  failRenewals = 0;
  renewWatch?: (channel: WatchChannel, lifetimeMs?: number) => Promise<WatchChannel>;

  constructor(
    private readonly grantMs: number,
    extendable: boolean,
  ) {
    if (extendable) {
      this.renewWatch = async (channel, lifetimeMs) => {
        this.asked.push(lifetimeMs);
        if (this.failRenewals > 0) {
          this.failRenewals -= 1;
          throw new RemoteError('REMOTE_UNAVAILABLE', '503');
        }
        this.extended.push(channel.channelId);
        this.extendedAt.push(Date.now());
        return { ...channel, expiresAt: Date.now() + Math.min(lifetimeMs ?? this.grantMs, this.grantMs) };
      };
    }
  }

  async poll(): Promise<string[]> {
    return [];
  }

  async watch(_address: string, lifetimeMs?: number): Promise<WatchChannel> {
    this.asked.push(lifetimeMs);
    const channel = {
      channelId: `c${this.opened.length}`,
      token: `t${this.opened.length}`,
      resourceId: `r${this.opened.length}`,
      expiresAt: Date.now() + Math.min(lifetimeMs ?? this.grantMs, this.grantMs),
    };
    this.opened.push(channel);
    return channel;
  }

  async stopWatch(channelId: string): Promise<void> {
    this.stopped.push(channelId);
  }
}

function feeds(feed: ChangeFeed, channelLifetimeMs: number | null = null) {
  const warnings: { message: string; at: number }[] = [];
  const changeFeeds = new ChangeFeeds({
    warn: (message) => warnings.push({ message, at: Date.now() }),
    intervalMs: 60_000,
    channelLifetimeMs,
    webhookAddress: () => 'https://docbridge.example/hooks/memory',
    onChanged: () => {},
  });
  const start = () => changeFeeds.reconcile(new Map([['k', { provider: 'memory', open: () => feed }]]));
  return { changeFeeds, warnings, start };
}

describe('ChangeFeeds push channels', () => {
  it('extends a channel in place before it expires when the provider can, asking for the configured lifetime', async () => {
    const feed = new MemoryPushFeed(60_000, true);
    const { changeFeeds, start } = feeds(feed, 2000);
    await start();
    await expect.poll(() => feed.opened.length).toBe(1);
    // Granted 2 s, renewed when half is left: twice within about 3 s, the same channel each time.
    await expect.poll(() => feed.extended.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(feed.opened).toHaveLength(1);
    expect(feed.stopped).toEqual([]);
    expect(new Set(feed.extended)).toEqual(new Set(['c0']));
    expect(new Set(feed.asked)).toEqual(new Set([2000]));
    // A reauthorization challenge renews at once, whatever is left.
    const before = feed.extended.length;
    expect(changeFeeds.notified('memory', 'c0', 't0', false, true)).toBe(true);
    await expect.poll(() => feed.extended.length).toBeGreaterThan(before);
    expect(changeFeeds.notified('memory', 'c0', 'wrong', false, true)).toBe(false);
    await changeFeeds.stop();
    expect(feed.stopped).toEqual(['c0']);
  });

  it('replaces a channel the provider cannot extend, closing the old one', async () => {
    const feed = new MemoryPushFeed(2000, false);
    const { changeFeeds, start } = feeds(feed);
    await start();
    await expect.poll(() => feed.opened.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => feed.stopped).toContain('c0');
    expect(feed.asked[0]).toBeUndefined();
    await changeFeeds.stop();
  });

  it('after a failed renewal, waits a quarter of the margin before trying again and keeps the channel', async () => {
    const feed = new MemoryPushFeed(60_000, true);
    feed.failRenewals = 1;
    const { changeFeeds, start, warnings } = feeds(feed, 4000);
    await start();
    await expect.poll(() => warnings.length, { timeout: 10_000 }).toBe(1);
    // Reconciling (every scan) does not retry before the back-off.
    await start();
    expect(feed.extended).toEqual([]);
    await expect.poll(() => feed.extended.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    // Granted 4 s, renewed with 2 s left: the retry waits 500 ms after the failure (timers never fire early).
    expect(feed.extendedAt[0]! - warnings[0]!.at).toBeGreaterThanOrEqual(450);
    expect(feed.opened).toHaveLength(1);
    await changeFeeds.stop();
  });
});
