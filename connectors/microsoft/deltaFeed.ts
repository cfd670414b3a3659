import { randomBytes } from 'node:crypto';
import type { ChangeFeed } from '../sync/changeFeed.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import type { GraphApi } from './graphApi.ts';
import { canonicalRemoteId } from './itemAddress.ts';

/** Subscriptions are asked for three days (Graph allows up to 42,300 minutes); renewed well before. */
const SUBSCRIPTION_LIFETIME_MS = 3 * 24 * 3600_000;
/** A bound on one poll's pages (200 items each): a runaway feed cannot hold the poller forever. */
const MAX_PAGES = 500;

interface DeltaPage {
  value?: { id: string }[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

interface Channel {
  channelId: string;
  token: string;
  address: string;
  /** Graph subscription id per drive. */
  subscriptions: Map<string, string>;
  /** Drives whose subscription is being created. */
  pending: Set<string>;
  expiresAt: number;
}

/**
 * Graph's change feed for one credential (reference D): one `delta` cursor per drive the credential has read
 * linked files from. The first read takes `token=latest`; later reads follow the deltaLink through its pages
 * and report the changed items as canonical remote ids; `410 resyncRequired` restarts with a full
 * enumeration (every item is reported; the engine re-reads only linked ones, and only when their eTag
 * moved). Push: one change notification subscription per drive to the HTTPS webhook, all sharing one
 * `clientState` (`<channel id>.<secret>`), so a notification (which names no file) triggers a delta read.
 */
export class DeltaFeed implements ChangeFeed {
  private readonly cursors = new Map<string, string | null>();
  private channel: Channel | null = null;

  constructor(private readonly api: GraphApi) {}

  /** Starts following a drive (a linked file lives there), subscribing at once when push is on. */
  follow(driveId: string): void {
    if (this.cursors.has(driveId)) return;
    this.cursors.set(driveId, null);
    // A failed subscription is retried by the next poll; delta covers the gap meanwhile.
    if (this.channel) void this.subscribe(this.channel, driveId).catch(() => {});
  }

  async poll(): Promise<string[]> {
    const changed: string[] = [];
    for (const driveId of [...this.cursors.keys()]) {
      changed.push(...(await this.pollDrive(driveId)));
      if (this.channel && !this.channel.subscriptions.has(driveId))
        await this.subscribe(this.channel, driveId);
    }
    return changed;
  }

  async watch(address: string) {
    const channel: Channel = {
      channelId: randomBytes(9).toString('base64url'),
      token: randomBytes(24).toString('base64url'),
      address,
      subscriptions: new Map(),
      pending: new Set(),
      expiresAt: Date.now() + SUBSCRIPTION_LIFETIME_MS,
    };
    for (const driveId of this.cursors.keys()) await this.subscribe(channel, driveId);
    this.channel = channel;
    return {
      channelId: channel.channelId,
      token: channel.token,
      resourceId: [...channel.subscriptions.values()].join(','),
      expiresAt: channel.expiresAt,
    };
  }

  async stopWatch(channelId: string, resourceId: string): Promise<void> {
    const ids =
      this.channel?.channelId === channelId
        ? [...this.channel.subscriptions.values()]
        : resourceId.split(',');
    if (this.channel?.channelId === channelId) this.channel = null;
    for (const id of ids.filter(Boolean)) {
      await this.api
        .call('subscriptions.delete', 'write', (client) => client.api(`/subscriptions/${id}`).delete())
        .catch(() => {});
    }
  }

  private async subscribe(channel: Channel, driveId: string): Promise<void> {
    if (channel.subscriptions.has(driveId) || channel.pending.has(driveId)) return;
    channel.pending.add(driveId);
    try {
      await this.createSubscription(channel, driveId);
    } finally {
      channel.pending.delete(driveId);
    }
  }

  private async createSubscription(channel: Channel, driveId: string): Promise<void> {
    const created = await this.api.call(
      'subscriptions.create',
      'write',
      (client) =>
        client.api('/subscriptions').post({
          changeType: 'updated',
          notificationUrl: channel.address,
          lifecycleNotificationUrl: channel.address,
          resource: `/drives/${driveId}/root`,
          expirationDateTime: new Date(channel.expiresAt).toISOString(),
          clientState: `${channel.channelId}.${channel.token}`,
        }) as Promise<{ id: string; expirationDateTime: string }>,
    );
    channel.subscriptions.set(driveId, created.id);
    channel.expiresAt = Math.min(channel.expiresAt, Date.parse(created.expirationDateTime));
  }

  private async pollDrive(driveId: string): Promise<string[]> {
    const cursor = this.cursors.get(driveId);
    if (cursor === null || cursor === undefined) {
      const latest = await this.page(`/drives/${driveId}/root/delta?token=latest`);
      this.cursors.set(driveId, latest['@odata.deltaLink'] ?? null);
      return [];
    }
    try {
      return await this.walk(driveId, cursor);
    } catch (error) {
      if (!(error instanceof RemoteError && /resyncRequired/.test(error.message))) throw error;
      // The cursor expired: enumerate again and report everything; linked files compare their eTag.
      return this.walk(driveId, `/drives/${driveId}/root/delta`);
    }
  }

  private async walk(driveId: string, start: string): Promise<string[]> {
    const ids: string[] = [];
    let link: string | undefined = start;
    for (let pages = 0; link && pages < MAX_PAGES; pages++) {
      const page: DeltaPage = await this.page(link);
      for (const item of page.value ?? []) ids.push(canonicalRemoteId(driveId, item.id));
      if (page['@odata.deltaLink']) {
        this.cursors.set(driveId, page['@odata.deltaLink']);
        return ids;
      }
      link = page['@odata.nextLink'];
    }
    return ids;
  }

  /** One delta page; links Graph hands back are followed only on Graph's own origin. */
  private page(link: string): Promise<DeltaPage> {
    if (/^https?:/.test(link) && !this.api.isGraphAddress(link)) {
      return Promise.reject(new RemoteError('REMOTE_REJECTED', 'a delta link pointed away from Graph'));
    }
    return this.api.call('delta', 'read', (client) => client.api(link).get() as Promise<DeltaPage>);
  }
}
