import type {
  afterLoadDocumentPayload,
  connectedPayload,
  Extension,
  onDisconnectPayload,
} from '@hocuspocus/server';
import type { LinkSupervisor } from '../../connectors/sync/linkSupervisor.ts';

/**
 * Tells the links of a document what happens to it in this process (STYLE: the `links` concern): every
 * change (so a debounced push follows web edits) and how many web sessions have it open (so an open document
 * keeps being polled for remote edits).
 */
export class LinkWakeups implements Extension {
  readonly extensionName = 'links';

  constructor(private readonly links: LinkSupervisor) {}

  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
    document.on('update', (_update: Uint8Array, origin: unknown) =>
      this.links.liveChanged(documentName, origin),
    );
  }

  async connected({ documentName, connection }: connectedPayload): Promise<void> {
    this.links.sessions(documentName, connection.document.getConnections().length);
  }

  async onDisconnect({ documentName, document }: onDisconnectPayload): Promise<void> {
    this.links.sessions(documentName, document.getConnections().length);
  }
}
