import { randomBytes } from 'node:crypto';
import type { WatchChannel } from '../sync/changeFeed.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import type { GraphApi } from './graphApi.ts';

/** Subscriptions are asked for three days unless configured otherwise; renewed well before. */
const DEFAULT_LIFETIME_MS = 3 * 24 * 3600_000;
/** Graph's ceiling for driveItem subscriptions is 42,300 minutes (reference D); a few minutes are kept for clock skew. */
const MAX_LIFETIME_MS = (42_300 - 5) * 60_000;

interface Subscribed {
  id: string;
  expiresAt: number;
}

interface Channel {
  channelId: string;
  token: string;
  address: string;
  lifetimeMs: number;
  /** Graph subscription per drive. */
  subscriptions: Map<string, Subscribed>;
  /** Drives whose subscription is being created. */
  pending: Set<string>;
}

/**
 * The change notification subscriptions of one credential (reference D): one per followed drive on
 * `/drives/{id}/root`, all posting to the same webhook with one `clientState` (`<channel id>.<secret>`), so
 * that the channel is what the platform opens, renews and closes. Renewal is `PATCH /subscriptions/{id}` with
 * a new `expirationDateTime` (which also answers `reauthorizationRequired`); a subscription Graph no longer
 * knows (404: it expired, or was removed) is created again under the same channel.
 */
export class DriveSubscriptions {
  private channel: Channel | null = null;

  constructor(private readonly api: GraphApi) {}

  /** Subscribes `driveId` when push is on and it has no subscription yet (a failure is retried by `fill`). */
  async add(driveId: string): Promise<void> {
    const channel = this.channel;
    if (!channel || channel.subscriptions.has(driveId) || channel.pending.has(driveId)) return;
    channel.pending.add(driveId);
    try {
      await this.create(channel, driveId);
    } finally {
      channel.pending.delete(driveId);
    }
  }

  /** Opens the channel and subscribes every drive in `drives`. */
  async open(address: string, drives: Iterable<string>, lifetimeMs?: number): Promise<WatchChannel> {
    const channel: Channel = {
      channelId: randomBytes(9).toString('base64url'),
      token: randomBytes(24).toString('base64url'),
      address,
      lifetimeMs: Math.min(lifetimeMs ?? DEFAULT_LIFETIME_MS, MAX_LIFETIME_MS),
      subscriptions: new Map(),
      pending: new Set(),
    };
    for (const driveId of drives) await this.create(channel, driveId);
    this.channel = channel;
    return describe(channel);
  }

  /**
   * Extends every subscription of the channel to `lifetimeMs` from now; one Graph no longer has is created
   * again. Every drive is tried; the first failure is thrown after (the others keep their new expiry).
   */
  async renew(held: WatchChannel, lifetimeMs?: number): Promise<WatchChannel> {
    const channel = this.channel;
    if (channel?.channelId !== held.channelId) throw new Error('renewing a channel this feed did not open');
    if (lifetimeMs !== undefined) channel.lifetimeMs = Math.min(lifetimeMs, MAX_LIFETIME_MS);
    let failure: unknown = null;
    for (const [driveId, subscribed] of [...channel.subscriptions]) {
      try {
        await this.extend(channel, subscribed);
      } catch (error) {
        if (error instanceof RemoteError && error.code === 'REMOTE_NOT_FOUND') {
          channel.subscriptions.delete(driveId);
          await this.add(driveId).catch((created: unknown) => {
            failure ??= created;
          });
        } else {
          failure ??= error;
        }
      }
    }
    if (failure) throw failure;
    return describe(channel);
  }

  /** Deletes the channel's subscriptions (or, for a channel from before a restart, the ids it recorded). */
  async close(channelId: string, resourceId: string): Promise<void> {
    const ids =
      this.channel?.channelId === channelId
        ? [...this.channel.subscriptions.values()].map((s) => s.id)
        : resourceId.split(',');
    if (this.channel?.channelId === channelId) this.channel = null;
    for (const id of ids.filter(Boolean)) {
      await this.api
        .call('subscriptions.delete', 'write', (client) => client.api(`/subscriptions/${id}`).delete())
        .catch(() => {});
    }
  }

  private async create(channel: Channel, driveId: string): Promise<void> {
    const created = await this.api.call(
      'subscriptions.create',
      'write',
      (client) =>
        client.api('/subscriptions').post({
          changeType: 'updated',
          notificationUrl: channel.address,
          lifecycleNotificationUrl: channel.address,
          resource: `/drives/${driveId}/root`,
          expirationDateTime: new Date(Date.now() + channel.lifetimeMs).toISOString(),
          clientState: `${channel.channelId}.${channel.token}`,
        }) as Promise<{ id: string; expirationDateTime: string }>,
    );
    channel.subscriptions.set(driveId, { id: created.id, expiresAt: Date.parse(created.expirationDateTime) });
  }

  private async extend(channel: Channel, subscribed: Subscribed): Promise<void> {
    const updated = await this.api.call(
      'subscriptions.update',
      'write',
      (client) =>
        client.api(`/subscriptions/${subscribed.id}`).patch({
          expirationDateTime: new Date(Date.now() + channel.lifetimeMs).toISOString(),
        }) as Promise<{ expirationDateTime: string }>,
    );
    subscribed.expiresAt = Date.parse(updated.expirationDateTime);
  }
}

/** The channel as the platform holds it: its expiry is the earliest of its subscriptions'. */
function describe(channel: Channel): WatchChannel {
  const expiries = [...channel.subscriptions.values()].map((s) => s.expiresAt);
  return {
    channelId: channel.channelId,
    token: channel.token,
    resourceId: [...channel.subscriptions.values()].map((s) => s.id).join(','),
    expiresAt: expiries.length > 0 ? Math.min(...expiries) : Date.now() + channel.lifetimeMs,
  };
}
