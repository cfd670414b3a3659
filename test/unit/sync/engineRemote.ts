import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { batchUpdateFromDiff, readGoogleDoc } from '../../../connectors/google/convert/index.ts';
import { createDocument, DocumentHistory, GoogleApiError } from '../../../connectors/google/engine/index.ts';
import type {
  Connector,
  PushResult,
  RemoteSnapshot,
  RemoteTarget,
} from '../../../connectors/sync/connector.ts';
import { RemoteError } from '../../../connectors/sync/remoteErrors.ts';

/**
 * The Google connector's conversion and write path over the emulator's request engine, in process: the same
 * readGoogleDoc / batchUpdateFromDiff / targetRevisionId semantics as over HTTP, deterministic and fast, for
 * seeded random tests of the sync engine against Google's index rules.
 */
export class EngineRemote implements Connector {
  readonly provider = 'google-engine';
  readonly history: DocumentHistory;
  writes = 0;

  constructor(paragraphs: string[]) {
    this.history = new DocumentHistory(createDocument('engine'));
    if (paragraphs.length > 0)
      this.edit([{ insertText: { location: { index: 1 }, text: paragraphs.join('\n') } }]);
  }

  get document(): docs_v1.Schema$Document {
    return this.history.current;
  }

  /** A Google user's edit at the latest revision. */
  edit(requests: docs_v1.Schema$Request[]): void {
    this.history.collaboratorEdit(requests);
  }

  async fetch(_target: RemoteTarget): Promise<RemoteSnapshot> {
    const document = structuredClone(this.history.current);
    const { doc, warnings } = readGoogleDoc(document);
    return {
      rev: document.revisionId!,
      doc,
      raw: new TextEncoder().encode(JSON.stringify(document)),
      warnings,
    };
  }

  async push(_target: RemoteTarget, base: RemoteSnapshot, next: JSONContent): Promise<PushResult> {
    const previous = JSON.parse(new TextDecoder().decode(base.raw)) as docs_v1.Schema$Document;
    const { requests } = batchUpdateFromDiff(previous, base.doc, next);
    if (requests.length === 0) return { rev: null, requests: 0 };
    try {
      const result = this.history.batchUpdate({ requests, writeControl: { targetRevisionId: base.rev } });
      this.writes += 1;
      return { rev: result.writeControl.requiredRevisionId, requests: 1 };
    } catch (error) {
      if (error instanceof GoogleApiError && error.status === 'FAILED_PRECONDITION') {
        throw new RemoteError('LINK_REVISION_CONFLICT', error.message);
      }
      throw error;
    }
  }
}
