import type { Connection, Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import { linkOrigin } from '../../connectors/sync/linkOrigin.ts';
import type { LiveDocumentHold, LiveDocuments } from '../../connectors/sync/supervisorPorts.ts';

type DirectConnection = Awaited<ReturnType<Hocuspocus['openDirectConnection']>>;

/**
 * The live documents port (`connectors/sync/supervisorPorts.ts`) over Hocuspocus. A running link opens one
 * direct connection to its document on its first step and keeps it while steps keep coming (the link is
 * active: polled, pushed), so polls never load and unload the document; `idleMs` after its last step the
 * connection closes and a document nobody else has open unloads. Writes are transactions tagged with the
 * link's origin, which the durability extension knows are already in the log.
 */
export class HocuspocusLiveDocuments implements LiveDocuments {
  private readonly liveClientConnections = new Set<Connection>();

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly idleMs: number,
  ) {}

  attach(doc: string, linkId: string): LiveDocumentHold {
    return new Hold(this.hocuspocus, doc, linkId, this.idleMs);
  }

  /** Web sessions only: direct connections (links, the API) do not keep a document polled. */
  sessions(doc: string): number {
    return this.hocuspocus.documents.get(doc)?.connections.size ?? 0;
  }

  /**
   * `connection` is a suite's own live client (told by `LinkWakeups` when it connects): `liveClients` counts it
   * until it closes. The link scan asks for live clients every 2 s; walking every connection for the rare
   * live client was a third of an idle server's CPU with 10,000 sockets open.
   */
  liveClientConnected(connection: Connection): void {
    this.liveClientConnections.add(connection);
    connection.onClose(() => this.liveClientConnections.delete(connection));
  }

  liveClients(): { doc: string; provider: string }[] {
    const entries = new Map<string, { doc: string; provider: string }>();
    for (const connection of this.liveClientConnections) {
      const doc = connection.document.name;
      const provider = liveClientOf(connection);
      if (provider) entries.set(`${doc}\u0000${provider}`, { doc, provider });
    }
    return [...entries.values()];
  }

  /** Counts connections in place: `getConnections()` copies them, every 2 s for each document. */
  openDocuments(): string[] {
    const open: string[] = [];
    for (const [doc, document] of this.hocuspocus.documents)
      if (document.connections.size > 0) open.push(doc);
    return open;
  }
}

/** The suite whose own live client a connection is (its context from `Authentication`), if any. */
export function liveClientOf(connection: { context?: unknown }): string | undefined {
  return (connection.context as { user?: { liveClientOf?: string } } | undefined)?.user?.liveClientOf;
}

class Hold implements LiveDocumentHold {
  private connection: Promise<DirectConnection> | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private steps = 0;
  private readonly origin;

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly name: string,
    linkId: string,
    private readonly idleMs: number,
  ) {
    this.origin = linkOrigin(linkId);
  }

  async around(step: () => Promise<void>): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.steps += 1;
    try {
      this.document = (await this.open()).document;
      await step();
    } finally {
      this.steps -= 1;
      if (this.steps === 0) this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
    }
  }

  /** The open document (set by `around`). */
  private document: Y.Doc | null = null;

  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.loaded());
  }

  applyDurable(update: Uint8Array): void {
    const document = this.loaded();
    document.transact(() => Y.applyUpdate(document, update), this.origin);
  }

  /** Waits for the open document to hold `state` (see `LiveDocument.holds`), checking on each update. */
  holds(state: Uint8Array, timeoutMs: number): Promise<boolean> {
    const document = this.loaded();
    const held = () => Y.snapshotContainsUpdate(Y.snapshot(document), state);
    if (held()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        document.off('update', check);
        resolve(result);
      };
      const check = () => held() && done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      document.on('update', check);
    });
  }

  async release(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.close();
  }

  private open(): Promise<DirectConnection> {
    this.connection ??= this.hocuspocus.openDirectConnection(this.name, { link: this.origin.linkId });
    this.connection.catch(() => {
      this.connection = null;
    });
    return this.connection;
  }

  private async close(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.document = null;
    if (connection) await (await connection).disconnect();
  }

  private loaded(): Y.Doc {
    if (!this.document) throw new Error(`live document ${this.name} is not open`);
    return this.document;
  }
}
