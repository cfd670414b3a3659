import { type docs_v1, docs as googleDocs } from '@googleapis/docs';
import { type drive_v3, drive as googleDrive } from '@googleapis/drive';
import type { RateLimiter } from '../sync/rateLimiter.ts';
import { AccessTokens } from './accessTokens.ts';
import { defaultEndpoints, type GoogleEndpoints, type GoogleSecret } from './credentials.ts';
import type { GoogleDocsTransport } from './docsTransport.ts';
import { DriveChangeFeed } from './driveChangeFeed.ts';
import { toRemoteError } from './googleErrors.ts';

/**
 * The client-side budget of one credential (reference A: about 1 write/s and 5 reads/s per user for the
 * Docs API); `probes` is Drive's, a separate and far larger quota.
 */
export interface GoogleQuota {
  reads: RateLimiter;
  writes: RateLimiter;
  probes: RateLimiter;
}

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The Docs API over HTTP with googleapis, for one credential: every call waits for the credential's rate
 * limiter, carries a token from `AccessTokens`, renews the token once on a 401, and fails in the engine's
 * terms (`googleErrors.ts`); a 429 pauses the whole credential for its Retry-After.
 */
export class HttpDocsTransport implements GoogleDocsTransport {
  private readonly docs: docs_v1.Docs;
  private readonly drive: drive_v3.Drive;
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
    this.drive = googleDrive({
      version: 'v3',
      rootUrl: withSlash(resolved.drive),
      retry: false,
      timeout: REQUEST_TIMEOUT_MS,
    });
  }

  /** The credential's Drive change feed, sharing its token and read budget. */
  openChangeFeed(): DriveChangeFeed {
    return new DriveChangeFeed(this.driveRoot, this.tokens, this.quota.reads);
  }

  get(documentId: string, urgent = false): Promise<docs_v1.Schema$Document> {
    return this.call(this.quota.reads, urgent, 'documents.get', (headers) =>
      this.docs.documents.get({ documentId, suggestionsViewMode: 'SUGGESTIONS_INLINE' }, { headers }),
    );
  }

  async version(documentId: string, urgent = false): Promise<string> {
    const file = await this.call(this.quota.probes, urgent, 'files.get', (headers) =>
      this.drive.files.get({ fileId: documentId, fields: 'version' }, { headers }),
    );
    return file.version ?? '';
  }

  quotaWaitMs(): number {
    return Math.max(this.quota.reads.recentWaitMs, this.quota.probes.recentWaitMs);
  }

  batchUpdate(
    documentId: string,
    requestBody: docs_v1.Schema$BatchUpdateDocumentRequest,
  ): Promise<docs_v1.Schema$BatchUpdateDocumentResponse> {
    return this.call(this.quota.writes, false, 'documents.batchUpdate', (headers) =>
      this.docs.documents.batchUpdate({ documentId, requestBody }, { headers }),
    );
  }

  /** One API call: rate-limited, authenticated, renewed once on 401, failures in the engine's terms. */
  private async call<T>(
    limiter: RateLimiter,
    urgent: boolean,
    what: string,
    send: (headers: Record<string, string>) => Promise<{ data: T }>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire(urgent);
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
