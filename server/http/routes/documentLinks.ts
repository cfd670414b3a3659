import { type Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { suiteFor } from '../../../connectors/suites.ts';
import type { LinkRecord, LinkStatus } from '../../admin/linkRecord.ts';
import { type Claims, parseDocumentName, type Role, roleFor } from '../../auth/claims.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { authenticateRequest, SESSION_COOKIE } from './session.ts';

/** What any user with a role on a document may know about one of its links: no ids, no secrets. */
export interface LinkStatusView {
  provider: string;
  /** The suite's name as people read it (`Google Docs`), from its descriptor. */
  label: string;
  status: LinkStatus;
  statusDetail: string | null;
  lastError: string | null;
  lastSyncedAt: number | null;
  remoteUrl: string | null;
}

/** The caller of a document route and its role on the named document, or null when it has none. */
export interface DocumentCaller {
  claims: Claims;
  name: string;
  role: Role | null;
}

/**
 * Authenticates a request on `/api/documents/:tenant/:id/...` (bearer token or session cookie) and works out
 * the caller's role on that document with the same `roleFor` the documents routes and the socket use, so
 * another tenant's documents are never reachable. Throws AuthError (401) when nobody is signed in.
 */
export async function documentCaller(c: Context, verify: TokenVerifier): Promise<DocumentCaller> {
  const claims = await authenticateRequest(
    verify,
    c.req.header('authorization'),
    getCookie(c, SESSION_COOKIE),
  );
  const name = `${c.req.param('tenant')}/${c.req.param('id')}`;
  return { claims, name, role: parseDocumentName(name) ? roleFor(claims, name) : null };
}

const rank: Record<Role, number> = { read: 1, comment: 2, edit: 3 };

/** True when `role` is at least `needed`. */
export function allows(role: Role | null, needed: Role): boolean {
  return role !== null && rank[role] >= rank[needed];
}

/**
 * Error text safe for every reader of the document: a connector's message may quote a request, so bearer
 * tokens, PEM blocks and long opaque strings are masked, and the text is bounded.
 */
export function publicError(message: string | null): string | null {
  if (message === null) return null;
  return message
    .replace(/-----BEGIN [^-]+-----[\s\S]*?(-----END [^-]+-----|$)/g, '[key]')
    .replace(
      /\b(Bearer|access_token|refresh_token|assertion|client_secret)([\s:="']+)[^\s"'&,]+/gi,
      '$1$2[hidden]',
    )
    .replace(/[A-Za-z0-9_\-.]{80,}/g, '[hidden]')
    .slice(0, 300);
}

/** The canonical address of the remote file when the link was made from an id rather than a URL. */
function remoteUrlOf(link: LinkRecord): string | null {
  if (link.remoteUrl) return link.remoteUrl;
  return suiteFor(link.provider)?.browserUrl(link.remoteId) ?? null;
}

/** Projects a link record to what document users may see. */
export function linkStatusView(link: LinkRecord): LinkStatusView {
  return {
    provider: link.provider,
    label: suiteFor(link.provider)?.label ?? link.provider,
    status: link.status,
    statusDetail: publicError(link.statusDetail),
    lastError: publicError(link.lastError),
    lastSyncedAt: link.lastSyncedAt,
    remoteUrl: remoteUrlOf(link),
  };
}

/**
 * `GET /api/documents/:tenant/:id/links`: the sync status of each link of a document, for any user with a
 * role on it (the editor reads it once, then takes pushed updates, to say "Google Docs: synced 2 s ago"; the
 * embed and admins read it too). Admin-only details (credential,
 * remote id, lease, counters) stay in `/api/links`.
 */
export function documentLinkRoutes(options: {
  verify: TokenVerifier;
  /** The statuses of a document's links (`server/links/linkStatusBroadcast.ts`: the store's, overlaid). */
  views(tenant: string, doc: string): Promise<LinkStatusView[]>;
}) {
  const app = new Hono();
  app.get('/api/documents/:tenant/:id/links', async (c) => {
    const caller = await documentCaller(c, options.verify);
    if (!caller.role) return c.json({ error: 'document-not-granted' }, 403);
    const links = await options.views(caller.claims.tenant, caller.name);
    c.header('Cache-Control', 'no-store');
    return c.json({ links });
  });
  return app;
}
