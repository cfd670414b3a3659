import type {
  afterLoadDocumentPayload,
  connectedPayload,
  Extension,
  onDisconnectPayload,
} from '@hocuspocus/server';
import * as Y from 'yjs';
import type { LinkSupervisor } from '../../connectors/sync/linkSupervisor.ts';
import { type HocuspocusLiveDocuments, liveClientOf } from '../links/liveDocuments.ts';

/**
 * Tells the links of a document what happens to it in this process (STYLE: the `links` concern): every
 * change (so a debounced push follows web edits) and how many web sessions have it open (so an open document
 * keeps being polled for remote edits), and how many of a suite's own live clients (the Word add-in) hold it:
 * their links of that suite keep uploads waiting meanwhile, and resume from the document's state at the moment
 * the last one left.
 */
export class LinkWakeups implements Extension {
  readonly extensionName = 'links';

  constructor(
    private readonly links: LinkSupervisor,
    private readonly live: HocuspocusLiveDocuments,
  ) {}

  async afterLoadDocument({ document, documentName }: afterLoadDocumentPayload): Promise<void> {
    document.on('update', (_update: Uint8Array, origin: unknown) =>
      this.links.liveChanged(documentName, origin),
    );
  }

  async connected({ documentName, connection }: connectedPayload): Promise<void> {
    const connections = connection.document.getConnections();
    this.links.sessions(documentName, connections.length);
    const provider = liveClientOf(connection);
    if (!provider) return;
    this.live.liveClientConnected(connection);
    this.links.liveClients(documentName, provider, count(connections, provider), null);
  }

  async onDisconnect({ documentName, document, context }: onDisconnectPayload): Promise<void> {
    const connections = document.getConnections();
    this.links.sessions(documentName, connections.length);
    const provider = liveClientOf({ context });
    if (!provider) return;
    const left = count(connections, provider);
    // The state the last live client left the document in: where file mode resumes from.
    this.links.liveClients(documentName, provider, left, left === 0 ? Y.encodeStateAsUpdate(document) : null);
  }
}

function count(connections: { context?: unknown }[], provider: string): number {
  return connections.filter((connection) => liveClientOf(connection) === provider).length;
}
