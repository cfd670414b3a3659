import type { docs_v1 } from '@googleapis/docs';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { ChangeFeed } from '../sync/changeFeed.ts';
import type { Connector, PushResult, ReadOptions, RemoteSnapshot, RemoteTarget } from '../sync/connector.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import { batchUpdateFromDiff, readGoogleDoc } from './convert/index.ts';
import type { GoogleDocsTransport } from './docsTransport.ts';

/** The Google connector's base: the Document JSON as `documents.get` returned it. */
export type GoogleBase = docs_v1.Schema$Document;

/**
 * Google Docs behind the engine's Connector interface. Reads with `documents.get` (suggestions inline, so
 * suggested text stays an atom and indices stay Google's), writes with one `documents.batchUpdate` whose
 * `writeControl.targetRevisionId` is the revision the diff was computed from, so Google transforms it over
 * what its own users typed since (the connector is one more collaborator). The transport decides where the
 * calls go (HTTP with the credential's quota, or the in-process engine in tests).
 */
export class GoogleConnector implements Connector<GoogleBase> {
  readonly provider = 'google';

  constructor(
    private readonly transport: GoogleDocsTransport,
    private readonly changeFeed?: () => ChangeFeed,
  ) {}

  openChangeFeed(): ChangeFeed | undefined {
    return this.changeFeed?.();
  }

  async fetch(target: RemoteTarget, options: ReadOptions = {}): Promise<RemoteSnapshot<GoogleBase>> {
    const document = await this.transport.get(target.remoteId, options.urgent);
    if (!document.revisionId)
      throw new RemoteError('REMOTE_REJECTED', 'documents.get answered without a revisionId');
    const { node, warnings } = readGoogleDoc(document);
    return { rev: document.revisionId, doc: node, base: document, warnings };
  }

  /** Drive's file `version` when the transport has Drive (reference B); a missing one fails the probe. */
  async probe(target: RemoteTarget, options: ReadOptions = {}): Promise<string> {
    const version = await this.transport.version?.(target.remoteId, options.urgent);
    if (!version) throw new RemoteError('REMOTE_REJECTED', 'no Drive version to probe');
    return version;
  }

  async push(target: RemoteTarget, base: RemoteSnapshot<GoogleBase>, next: PMNode): Promise<PushResult> {
    const { requests } = batchUpdateFromDiff(base.base, base.doc, next);
    if (requests.length === 0) return { rev: null, requests: 0 };
    const answer = await this.transport.batchUpdate(target.remoteId, {
      requests,
      writeControl: { targetRevisionId: base.rev },
    });
    return { rev: answer.writeControl?.requiredRevisionId ?? null, requests: 1 };
  }

  encodeBase(base: GoogleBase): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(base));
  }
}
