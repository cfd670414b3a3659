import type { ChangeFeed, WatchChannel } from '../sync/changeFeed.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import { DriveSubscriptions } from './driveSubscriptions.ts';
import type { GraphApi } from './graphApi.ts';
import { canonicalRemoteId } from './itemAddress.ts';

/** A bound on one poll's pages (200 items each): a runaway feed cannot hold the poller forever. */
const MAX_PAGES = 500;

interface DeltaPage {
  value?: { id: string }[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/**
 * Graph's change feed for one credential (reference D): one `delta` cursor per drive the credential has read
 * linked files from. The first read takes `token=latest`; later reads follow the deltaLink through its pages
 * and report the changed items as canonical remote ids; `410 resyncRequired` restarts with a full
 * enumeration (every item is reported; the engine re-reads only linked ones, and only when their eTag
 * moved). Push: one change notification subscription per drive (`DriveSubscriptions`), so a notification
 * (which names no file) triggers a delta read.
 */
export class DeltaFeed implements ChangeFeed {
  private readonly cursors = new Map<string, string | null>();
  private readonly subscriptions: DriveSubscriptions;

  constructor(private readonly api: GraphApi) {
    this.subscriptions = new DriveSubscriptions(api);
  }

  /** Starts following a drive (a linked file lives there), subscribing at once when push is on. */
  follow(driveId: string): void {
    if (this.cursors.has(driveId)) return;
    this.cursors.set(driveId, null);
    // A failed subscription is retried by the next poll; delta covers the gap meanwhile.
    void this.subscriptions.add(driveId).catch(() => {});
  }

  async poll(): Promise<string[]> {
    const changed: string[] = [];
    for (const driveId of [...this.cursors.keys()]) {
      changed.push(...(await this.pollDrive(driveId)));
      await this.subscriptions.add(driveId);
    }
    return changed;
  }

  watch(address: string, lifetimeMs?: number): Promise<WatchChannel> {
    return this.subscriptions.open(address, this.cursors.keys(), lifetimeMs);
  }

  renewWatch(channel: WatchChannel, lifetimeMs?: number): Promise<WatchChannel> {
    return this.subscriptions.renew(channel, lifetimeMs);
  }

  stopWatch(channelId: string, resourceId: string): Promise<void> {
    return this.subscriptions.close(channelId, resourceId);
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
