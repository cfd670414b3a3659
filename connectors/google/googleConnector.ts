import type { docs_v1 } from '@googleapis/docs';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { ChangeFeed } from '../sync/changeFeed.ts';
import type {
  Connector,
  PushProgress,
  PushResult,
  ReadOptions,
  RemoteSnapshot,
  RemoteTarget,
} from '../sync/connector.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import { batchUpdateFromDiff, footnoteFillRequests, readGoogleDoc } from './convert/index.ts';
import type { GoogleDocsTransport } from './docsTransport.ts';
import { decodeFill, encodeFill, needsFill } from './footnoteFill.ts';

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

  quotaWaitMs(): number {
    return this.transport.quotaWaitMs?.() ?? 0;
  }

  /**
   * One batchUpdate for the change; when it creates footnotes, a second one fills them (the first reply
   * names them), sent against the first reply's revision. Between the two, `progress` persists what the
   * second must write, so a crash there is completed by `resume`, never redone nor lost.
   */
  async push(
    target: RemoteTarget,
    base: RemoteSnapshot<GoogleBase>,
    next: PMNode,
    progress?: PushProgress,
  ): Promise<PushResult> {
    const { requests, footnotes } = batchUpdateFromDiff(base.base, base.doc, next);
    if (requests.length === 0) return { rev: null, requests: 0 };
    const answer = await this.transport.batchUpdate(target.remoteId, {
      requests,
      writeControl: { targetRevisionId: base.rev },
    });
    const rev = answer.writeControl?.requiredRevisionId ?? null;
    const created = footnotes.flatMap(({ request, note }) => {
      const footnoteId = answer.replies?.[request]?.createFootnote?.footnoteId;
      return footnoteId ? [{ footnoteId, note }] : [];
    });
    if (created.length === 0) return { rev, requests: 1 };
    // From here the write has landed in part: whatever the second call does, the link keeps the record and
    // completes it (`resume`), never treating the push as refused as a whole.
    await progress?.(encodeFill({ footnotes: created }));
    const filled = await this.transport.batchUpdate(target.remoteId, {
      requests: footnoteFillRequests(created),
      ...(rev ? { writeControl: { targetRevisionId: rev } } : {}),
    });
    return { rev: filled.writeControl?.requiredRevisionId ?? null, requests: 2 };
  }

  /**
   * Fills the footnotes a push created before it stopped, against the revision just read: each one that does
   * not hold its text yet gets it (before anything a Google user typed there meanwhile); one already filled,
   * or deleted by a Google user, is left alone.
   */
  async resume(target: RemoteTarget, resume: Uint8Array): Promise<void> {
    const { footnotes } = decodeFill(resume);
    const document = await this.transport.get(target.remoteId);
    const fresh = footnotes.filter(({ footnoteId, note }) =>
      needsFill(document.footnotes?.[footnoteId], note),
    );
    if (fresh.length === 0 || !document.revisionId) return;
    await this.transport.batchUpdate(target.remoteId, {
      requests: footnoteFillRequests(fresh),
      writeControl: { targetRevisionId: document.revisionId },
    });
  }

  encodeBase(base: GoogleBase): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(base));
  }
}
