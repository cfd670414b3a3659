import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { driveItemJson } from './driveItemJson.ts';
import type { GraphFaults } from './faults.ts';
import { graphError } from './graphErrors.ts';
import { eTagOf, type GraphState } from './graphState.ts';
import { lockedResponse } from './guard.ts';

/** Chunks must be multiples of 320 KiB, except the last (reference D). */
export const UPLOAD_CHUNK_UNIT = 327_680;
const MAX_CHUNK = 60 * 1024 * 1024;
const DOWNLOAD_URL_LIFETIME_MS = 5 * 60_000;
const SESSION_LIFETIME_MS = 24 * 3600_000;

interface UploadSession {
  driveId: string;
  itemId: string;
  ifMatch: string | null;
  by: { application: { id: string } };
  chunks: Uint8Array[];
  received: number;
  total: number | null;
  expiresAt: number;
}

/**
 * The storage host behind Graph (SharePoint's, in Microsoft's cloud): short-lived pre-authenticated download
 * URLs and upload session URLs. It is a different origin from Graph (its own port), and it refuses requests
 * that carry an Authorization header: the Graph token must never leave Graph's host.
 */
export class Storage {
  private readonly downloads = new Map<string, { driveId: string; itemId: string; expiresAt: number }>();
  private readonly sessions = new Map<string, UploadSession>();
  url = '';

  constructor(
    private readonly state: GraphState,
    private readonly faults: GraphFaults,
    private readonly graphUrl: () => string,
  ) {}

  /** A fresh pre-authenticated download URL for the item's current content. */
  downloadUrl(driveId: string, itemId: string): string {
    const now = Date.now();
    for (const [key, entry] of this.downloads) if (entry.expiresAt < now) this.downloads.delete(key);
    const token = randomBytes(24).toString('base64url');
    this.downloads.set(token, { driveId, itemId, expiresAt: now + DOWNLOAD_URL_LIFETIME_MS });
    return `${this.url}/download.aspx?tempauth=${token}`;
  }

  /** Opens an upload session for an existing item; `ifMatch` is checked again when the upload completes. */
  openSession(driveId: string, itemId: string, ifMatch: string | null, clientId: string) {
    const id = randomBytes(24).toString('base64url');
    const expiresAt = Date.now() + SESSION_LIFETIME_MS;
    this.sessions.set(id, {
      driveId,
      itemId,
      ifMatch,
      by: { application: { id: clientId } },
      chunks: [],
      received: 0,
      total: null,
      expiresAt,
    });
    return {
      uploadUrl: `${this.url}/upload.aspx?session=${id}`,
      expirationDateTime: new Date(expiresAt).toISOString(),
      nextExpectedRanges: ['0-'],
    };
  }

  routes(): Hono {
    const app = new Hono();
    app.use('*', async (c, next) => {
      if (c.req.header('authorization')) {
        return graphError(
          c,
          401,
          'unauthenticated',
          'Pre-authenticated URLs must not carry an Authorization header.',
        );
      }
      return next();
    });

    app.get('/download.aspx', (c) => {
      this.state.count('item.download');
      const entry = this.downloads.get(c.req.query('tempauth') ?? '');
      const item =
        entry && entry.expiresAt > Date.now()
          ? this.state.drives.get(entry.driveId)?.items.get(entry.itemId)
          : undefined;
      if (!item || item.deleted)
        return graphError(c, 401, 'unauthenticated', 'The download URL has expired.');
      return c.body(Buffer.from(item.content), 200, { 'Content-Type': 'application/octet-stream' });
    });

    app.get('/upload.aspx', (c) => {
      this.state.count('uploadSession.get');
      const session = this.session(c.req.query('session'));
      if (!session) return sessionGone(c);
      return c.json({
        expirationDateTime: new Date(session.expiresAt).toISOString(),
        nextExpectedRanges: [`${session.received}-`],
      });
    });

    app.delete('/upload.aspx', (c) => {
      this.state.count('uploadSession.delete');
      const id = c.req.query('session') ?? '';
      if (!this.session(id)) return sessionGone(c);
      this.sessions.delete(id);
      return c.body(null, 204);
    });

    app.put('/upload.aspx', async (c) => this.putChunk(c));
    return app;
  }

  private async putChunk(c: Context): Promise<Response> {
    this.state.count('uploadSession.put');
    const fault = this.faults.take('uploadSession.put');
    if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
    const id = c.req.query('session') ?? '';
    const session = this.session(id);
    if (!session) return sessionGone(c);
    const range = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(c.req.header('content-range') ?? '');
    if (!range)
      return graphError(c, 400, 'invalidRequest', 'The Content-Range header is missing or malformed.');
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (end < start || body.byteLength !== end - start + 1) {
      return graphError(
        c,
        400,
        'invalidRequest',
        'The Content-Range does not match the length of the request body.',
      );
    }
    if (session.total !== null && total !== session.total) {
      return graphError(c, 400, 'invalidRequest', 'The total length differs from an earlier fragment.');
    }
    if (start !== session.received) {
      return graphError(
        c,
        416,
        'invalidRange',
        `The uploaded fragment does not start at the next expected byte (${session.received}).`,
      );
    }
    const last = end + 1 === total;
    if (
      end + 1 > total ||
      body.byteLength > MAX_CHUNK ||
      (!last && body.byteLength % UPLOAD_CHUNK_UNIT !== 0)
    ) {
      return graphError(
        c,
        400,
        'invalidRequest',
        'Fragments must be a multiple of 320 KiB (327,680 bytes) and at most 60 MiB, except the last.',
      );
    }
    if (fault?.status) {
      return graphError(
        c,
        fault.status,
        { 429: 'TooManyRequests', 500: 'generalException', 503: 'serviceNotAvailable' }[fault.status],
        'Please retry.',
        fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
      );
    }
    session.chunks.push(body);
    session.received = end + 1;
    session.total = total;
    if (fault?.reset) {
      // The fragment was stored but the answer is lost: the client must ask where to resume.
      (c.env as { outgoing?: { socket?: { destroy(): void } } }).outgoing?.socket?.destroy();
      return new Response(null);
    }
    if (!last) {
      return c.json(
        {
          expirationDateTime: new Date(session.expiresAt).toISOString(),
          nextExpectedRanges: [`${session.received}-`],
        },
        202,
      );
    }
    return this.commit(c, id, session);
  }

  private commit(c: Context, id: string, session: UploadSession): Response {
    const drive = this.state.drives.get(session.driveId);
    const item = drive?.items.get(session.itemId);
    if (!drive || !item || item.deleted) {
      this.sessions.delete(id);
      return graphError(c, 404, 'itemNotFound', 'The resource could not be found.');
    }
    const locked = lockedResponse(c, item);
    if (locked) return locked;
    const record = {
      itemId: item.id,
      kind: 'session' as const,
      ifMatch: session.ifMatch,
      size: session.received,
    };
    this.sessions.delete(id);
    if (session.ifMatch && session.ifMatch !== eTagOf(item)) {
      this.state.uploads.push({ ...record, status: 412 });
      return graphError(c, 412, 'preconditionFailed', "ETag does not match current item's value");
    }
    this.state.update(drive, item, { content: Buffer.concat(session.chunks), by: session.by });
    this.state.uploads.push({ ...record, status: 200 });
    return c.json(driveItemJson(drive, item, this.graphUrl()), 200);
  }

  private session(id: string | undefined): UploadSession | null {
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return null;
    if (session.expiresAt < Date.now()) {
      this.sessions.delete(id!);
      return null;
    }
    return session;
  }
}

function sessionGone(c: Context): Response {
  return graphError(c, 404, 'itemNotFound', 'The upload session was not found or has expired.');
}
