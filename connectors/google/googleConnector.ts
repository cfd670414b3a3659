import { type docs_v1, docs as googleDocs } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import type { Connector, PushResult, RemoteSnapshot, RemoteTarget } from '../sync/connector.ts';
import type { RateLimiter } from '../sync/rateLimiter.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import { AccessTokens } from './accessTokens.ts';
import { batchUpdateFromDiff, readGoogleDoc } from './convert/index.ts';
import { defaultEndpoints, type GoogleEndpoints, type GoogleSecret } from './credentials.ts';
import { DriveChangeFeed } from './driveChangeFeed.ts';
import { toRemoteError } from './googleErrors.ts';

/** The client-side budget of one credential (reference A: about 1 write/s and 5 reads/s per user). */
export interface GoogleQuota {
  reads: RateLimiter;
  writes: RateLimiter;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Google Docs behind the engine's Connector interface. Reads with `documents.get` (suggestions inline, so
 * suggested text stays an atom and indices stay Google's), writes with one `documents.batchUpdate` whose
 * `writeControl.targetRevisionId` is the revision the diff was computed from, so Google transforms it over
 * what its own users typed since (the connector is one more collaborator). Every call waits for the
 * credential's rate limiter; a 401 renews the token once.
 */
export class GoogleConnector implements Connector {
  readonly provider = 'google';
  private readonly docs: docs_v1.Docs;
  private readonly tokens: AccessTokens;
  private readonly driveRoot: string;

  constructor(
    secret: GoogleSecret,
    endpoints: Partial<GoogleEndpoints>,
    private readonly quota: GoogleQuota,
  ) {
    const resolved = { ...defaultEndpoints, ...endpoints };
    this.tokens = new AccessTokens(secret, resolved.token);
    this.driveRoot = resolved.drive;
    this.docs = googleDocs({
      version: 'v1',
      rootUrl: withSlash(resolved.docs),
      retry: false,
      timeout: REQUEST_TIMEOUT_MS,
    });
  }

  /** The credential's Drive change feed, sharing its token and read budget. */
  openChangeFeed(): DriveChangeFeed {
    return new DriveChangeFeed(this.driveRoot, this.tokens, this.quota.reads);
  }

  /** Proves the credential works: asks the token endpoint for a token. */
  async verify(): Promise<void> {
    this.tokens.invalidate();
    await this.tokens.get();
  }

  async fetch(target: RemoteTarget): Promise<RemoteSnapshot> {
    const document = await this.call(this.quota.reads, 'documents.get', (headers) =>
      this.docs.documents.get(
        { documentId: target.remoteId, suggestionsViewMode: 'SUGGESTIONS_INLINE' },
        { headers },
      ),
    );
    if (!document.revisionId)
      throw new RemoteError('REMOTE_REJECTED', 'documents.get answered without a revisionId');
    const { doc, warnings } = readGoogleDoc(document);
    return {
      rev: document.revisionId,
      doc,
      raw: new TextEncoder().encode(JSON.stringify(document)),
      warnings,
    };
  }

  async push(target: RemoteTarget, base: RemoteSnapshot, next: JSONContent): Promise<PushResult> {
    const previous = JSON.parse(new TextDecoder().decode(base.raw)) as docs_v1.Schema$Document;
    const { requests } = batchUpdateFromDiff(previous, base.doc, next);
    if (requests.length === 0) return { rev: null, requests: 0 };
    const answer = await this.call(this.quota.writes, 'documents.batchUpdate', (headers) =>
      this.docs.documents.batchUpdate(
        {
          documentId: target.remoteId,
          requestBody: { requests, writeControl: { targetRevisionId: base.rev } },
        },
        { headers },
      ),
    );
    return { rev: answer.writeControl?.requiredRevisionId ?? null, requests: 1 };
  }

  /** One API call: rate-limited, authenticated, renewed once on 401, failures in the engine's terms. */
  private async call<T>(
    limiter: RateLimiter,
    what: string,
    send: (headers: Record<string, string>) => Promise<{ data: T }>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire();
      const headers = { Authorization: `Bearer ${await this.tokens.get()}` };
      try {
        return (await send(headers)).data;
      } catch (error) {
        const status = (error as { response?: { status?: number } }).response?.status;
        if (status === 401 && attempt === 0) {
          this.tokens.invalidate();
          continue;
        }
        const remote = toRemoteError(error, what);
        if (remote.code === 'REMOTE_RATE_LIMITED') limiter.pauseFor(remote.retryAfterMs ?? 5000);
        throw remote;
      }
    }
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
