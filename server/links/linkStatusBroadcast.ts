import type { connectedPayload, Extension, Hocuspocus } from '@hocuspocus/server';
import type { RunnerStatus } from '../../connectors/sync/linkRunner.ts';
import type { LinkRecord } from '../admin/linkRecord.ts';
import type { LinksRepo } from '../admin/linksRepo.ts';
import { type LinkStatusView, linkStatusView } from '../http/routes/documentLinks.ts';

/** The stateless message type the editor listens for (`client/editor/linkStatusLine.ts`). */
export const LINK_STATUS_MESSAGE = 'docbridge:link-status';

/** How long changes of one document's links are gathered into one message. */
const GATHER_MS = 100;

/**
 * The link statuses of a document as its users see them, pushed to its open editors. The store holds what
 * changed (state, errors); the runners on this instance hold what is newer (a poll that found nothing does not
 * write, so their `lastSyncedAt` is fresher), and overlay it. When a running link's state changes, every
 * connection to the document gets one Hocuspocus stateless message, within `GATHER_MS` plus a store read
 * (well under the 1 s the editor promises); other instances get it through the Redis extension, which relays
 * stateless broadcasts. As a Hocuspocus extension it also greets each new connection with the statuses as they
 * are, so a client that cannot read the REST route (the Word add-in holds a socket key only) has them at once.
 */
export class LinkStatusBroadcast implements Extension {
  readonly extensionName = 'linkStatuses';
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly links: Pick<LinksRepo, 'listByDoc'>,
    private readonly running: (doc: string) => { link: { id: string }; state: RunnerStatus }[],
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The statuses of `doc`'s links in `tenant`, freshest first-hand knowledge overlaid on the store's. */
  async views(tenant: string, doc: string): Promise<LinkStatusView[]> {
    const states = new Map(this.running(doc).map(({ link, state }) => [link.id, state]));
    return (await this.links.listByDoc(tenant, doc)).map((record) =>
      linkStatusView(overlay(record, states.get(record.id))),
    );
  }

  /** A connection was authenticated: it gets the document's link statuses (none when it has no link). */
  async connected({ connection, documentName }: connectedPayload): Promise<void> {
    const tenant = documentName.split('/')[0];
    if (!tenant) return;
    try {
      const links = await this.views(tenant, documentName);
      if (links.length > 0) connection.sendStateless(JSON.stringify({ type: LINK_STATUS_MESSAGE, links }));
    } catch (error) {
      this.onError(error);
    }
  }

  /** A link of `doc` changed state: tell the document's editors (gathered briefly). */
  changed(tenant: string, doc: string): void {
    if (this.pending.has(doc)) return;
    this.pending.set(
      doc,
      setTimeout(() => {
        this.pending.delete(doc);
        this.send(tenant, doc).catch(this.onError);
      }, GATHER_MS),
    );
  }

  stop(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private async send(tenant: string, doc: string): Promise<void> {
    const document = this.hocuspocus.documents.get(doc);
    if (!document) return;
    const links = await this.views(tenant, doc);
    document.broadcastStateless(JSON.stringify({ type: LINK_STATUS_MESSAGE, links }));
  }
}

function overlay(record: LinkRecord, state: RunnerStatus | undefined): LinkRecord {
  if (!state) return record;
  return {
    ...record,
    status: state.status,
    statusDetail: state.message,
    lastError: state.lastError,
    lastSyncedAt: Math.max(state.lastSyncedAt ?? 0, record.lastSyncedAt ?? 0) || null,
  };
}
