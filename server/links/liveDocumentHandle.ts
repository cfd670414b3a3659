import type { Hocuspocus } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { LiveDocument } from '../../connectors/sync/linkState.ts';

/**
 * The engine's view of a live Hocuspocus document. The document is held open (a Hocuspocus direct
 * connection, which loads it from storage if no one has it open) only while a sync step runs, so idle linked
 * documents do not stay in memory. Updates the engine applies carry `durable: true`: the link's transaction
 * already appended them to the update log.
 */
export class LiveDocumentHandle implements LiveDocument {
  private connection: Awaited<ReturnType<Hocuspocus['openDirectConnection']>> | null = null;
  readonly origin: { source: 'link'; linkId: string; durable: true };

  constructor(
    private readonly hocuspocus: Hocuspocus,
    private readonly documentName: string,
    linkId: string,
  ) {
    this.origin = { source: 'link', linkId, durable: true };
  }

  /** Runs `step` with the document open. */
  async around(step: () => Promise<void>): Promise<void> {
    this.connection = await this.hocuspocus.openDirectConnection(this.documentName, {
      link: this.origin.linkId,
    });
    try {
      await step();
    } finally {
      const connection = this.connection;
      this.connection = null;
      await connection.disconnect();
    }
  }

  state(): Uint8Array {
    return Y.encodeStateAsUpdate(this.document());
  }

  applyDurable(update: Uint8Array): void {
    Y.applyUpdate(this.document(), update, this.origin);
  }

  private document(): Y.Doc {
    const document = this.connection?.document;
    if (!document) throw new Error(`live document ${this.documentName} is not open`);
    return document;
  }
}
