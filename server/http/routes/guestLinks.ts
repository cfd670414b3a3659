import { Hono } from 'hono';
import { z } from 'zod';
import type { AuditRepo } from '../../admin/auditRepo.ts';
import type { DocumentsRepo } from '../../admin/documentsRepo.ts';
import type { AccessChange } from '../../collab/openConnections.ts';
import type { Authenticate } from '../../identity/authenticator.ts';
import type { GuestLinkRecord, GuestLinksRepo } from '../../identity/guestLinksRepo.ts';
import type { SessionsRepo } from '../../identity/sessionsRepo.ts';
import { isHttps, setSessionCookie } from '../sessionCookie.ts';
import { SESSION_MS } from './session.ts';
import { documentManager } from './shares.ts';

export interface GuestLinkRoutesOptions {
  verify: Authenticate;
  guestLinks: GuestLinksRepo;
  sessions: SessionsRepo;
  documents: Pick<DocumentsRepo, 'get'>;
  audit: Pick<AuditRepo, 'append'>;
  accessChanged: (change: AccessChange) => Promise<void>;
  publicUrl: () => string;
}

const createBody = z.object({
  role: z.enum(['read', 'comment', 'edit']),
  expiresInHours: z
    .number()
    .positive()
    .max(24 * 90),
  label: z.string().trim().min(1).max(100).optional(),
});
const redeemBody = z.object({
  token: z.string().regex(/^dbg\.[A-Za-z0-9_-]{43}$/),
  name: z.string().trim().min(1).max(60),
});

/** What lists show of a guest link: never its token (only its hash is stored). */
function linkView(link: GuestLinkRecord) {
  const { tenant: _tenant, ...view } = link;
  return view;
}

/**
 * Guest links for colleagues with no trusted account: `POST /api/documents/<tenant>/<id>/guest-links { role,
 * expiresInHours, label? }` -> `{ id, url }` (owner or tenant admin only), `GET` the list, `DELETE
 * .../guest-links/<id>` to refuse it from then on (its open sockets are closed). The token travels in the
 * URL's fragment (`/guest#dbg.…`), which browsers never send to a server, so no access log can hold it.
 * `POST /api/guest-links/redeem { token, name }` opens a guest session for the display name given.
 */
export function guestLinkRoutes(options: GuestLinkRoutesOptions) {
  const app = new Hono();
  const { guestLinks, audit } = options;

  app.get('/api/documents/:tenant/:id/guest-links', async (c) => {
    const manager = await documentManager(c, options.verify, options.documents);
    if (!manager) return c.json({ error: 'document-not-granted' }, 403);
    return c.json({ guestLinks: (await guestLinks.list(manager.tenant, manager.name)).map(linkView) });
  });

  app.post('/api/documents/:tenant/:id/guest-links', async (c) => {
    const manager = await documentManager(c, options.verify, options.documents);
    if (!manager) return c.json({ error: 'document-not-granted' }, 403);
    const body = createBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success)
      return c.json({ error: 'invalid-guest-link', message: body.error.issues[0]?.message }, 400);
    const { link, token } = await guestLinks.create(manager.tenant, manager.name, {
      ...body.data,
      createdBy: manager.caller.sub,
    });
    await audit.append({
      tenant: manager.tenant,
      actor: manager.caller.sub,
      action: 'guest-link.create',
      target: manager.name,
      details: { link: link.id, role: link.role, expiresAt: link.expiresAt, label: link.label },
    });
    return c.json({ id: link.id, url: `${options.publicUrl().replace(/\/$/, '')}/guest#${token}` }, 201);
  });

  app.delete('/api/documents/:tenant/:id/guest-links/:link', async (c) => {
    const manager = await documentManager(c, options.verify, options.documents);
    if (!manager) return c.json({ error: 'document-not-granted' }, 403);
    const link = await guestLinks.revoke(manager.tenant, manager.name, c.req.param('link'));
    await audit.append({
      tenant: manager.tenant,
      actor: manager.caller.sub,
      action: 'guest-link.revoke',
      target: manager.name,
      details: { link: link.id },
    });
    await options.accessChanged({ guestLinkId: link.id });
    return c.json({ ok: true });
  });

  app.post('/api/guest-links/redeem', async (c) => {
    const body = redeemBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return c.json({ error: 'invalid-guest-link' }, 400);
    const link = await guestLinks.byToken(body.data.token);
    if (!link)
      return c.json({ error: 'guest-link-refused', message: 'This link has expired or was withdrawn.' }, 403);
    const ttlMs = Math.min(SESSION_MS, link.expiresAt - Date.now());
    const opened = await options.sessions.open({
      tenant: link.tenant,
      userId: 'guest',
      userName: body.data.name,
      email: null,
      admin: false,
      via: 'guest',
      guestLinkId: link.id,
      docs: {},
      userAgent: c.req.header('user-agent') ?? null,
      ttlMs,
    });
    await audit.append({
      tenant: link.tenant,
      actor: `guest:${opened.session.id}`,
      action: 'guest-link.redeem',
      target: link.doc,
      details: { link: link.id, name: body.data.name },
    });
    setSessionCookie(c, opened.cookie, ttlMs, isHttps(c, options.publicUrl()));
    return c.json({ document: link.doc, role: link.role });
  });

  return app;
}
