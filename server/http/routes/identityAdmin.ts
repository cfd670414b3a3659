import { Hono } from 'hono';
import type { AuditRepo } from '../../admin/auditRepo.ts';
import type { AccessChange } from '../../collab/openConnections.ts';
import type { Authenticate, Principal } from '../../identity/authenticator.ts';
import type { GuestLinksRepo } from '../../identity/guestLinksRepo.ts';
import type { OidcProviderConfig } from '../../identity/oidcProviders.ts';
import type { SessionsRepo } from '../../identity/sessionsRepo.ts';
import type { SharesRepo } from '../../identity/sharesRepo.ts';
import { adminCaller } from './adminCaller.ts';
import { sessionView } from './session.ts';

export interface IdentityAdminOptions {
  verify: Authenticate;
  providers: OidcProviderConfig[];
  sessions: SessionsRepo;
  shares: SharesRepo;
  guestLinks: GuestLinksRepo;
  audit: Pick<AuditRepo, 'append'>;
  accessChanged: (change: AccessChange) => Promise<void>;
  redirectBase: () => string;
}

/**
 * The identity part of the admin API, for an administrator of one tenant: `GET /api/admin/providers` (the
 * providers signing users into this tenant, with the redirect URI to register), `GET /api/admin/sessions`
 * and `DELETE /api/admin/sessions/<id>` (revoked at once, sockets closed), `GET /api/admin/shares` (outgoing
 * and incoming), `GET /api/admin/guest-links`.
 */
export function identityAdminRoutes(options: IdentityAdminOptions) {
  const app = new Hono();
  const admin = async (c: Parameters<typeof adminCaller>[0]) =>
    (await adminCaller(c, options.verify)) as Principal;

  app.get('/api/admin/providers', async (c) => {
    const caller = await admin(c);
    const providers = options.providers
      .filter((p) => p.tenant === caller.tenant)
      .map((p) => ({
        id: p.id,
        label: p.label,
        issuer: p.issuer,
        clientId: p.clientId,
        clientAuthentication: p.privateKeyJwk
          ? 'private_key_jwt'
          : p.clientSecret
            ? 'client_secret_post'
            : 'none',
        redirectUri: `${options.redirectBase().replace(/\/$/, '')}/auth/${p.id}/callback`,
        adminClaim: p.adminClaim ?? null,
      }));
    return c.json({ providers });
  });

  app.get('/api/admin/sessions', async (c) => {
    const caller = await admin(c);
    const sessions = await options.sessions.list(caller.tenant);
    return c.json({ sessions: sessions.map((s) => sessionView(s, caller.sessionId)) });
  });

  app.delete('/api/admin/sessions/:id', async (c) => {
    const caller = await admin(c);
    const id = c.req.param('id');
    if (!(await options.sessions.revoke(caller.tenant, id)))
      return c.json({ error: 'session-not-found' }, 404);
    await options.audit.append({
      tenant: caller.tenant,
      actor: caller.sub,
      action: 'session.revoke',
      target: id,
    });
    await options.accessChanged({ sessionId: id });
    return c.json({ ok: true });
  });

  app.get('/api/admin/shares', async (c) => {
    const caller = await admin(c);
    const incoming = (await options.shares.listReaching(caller.tenant, null)).filter(
      (s) => s.tenant !== caller.tenant,
    );
    return c.json({ outgoing: await options.shares.listOutgoing(caller.tenant), incoming });
  });

  app.get('/api/admin/guest-links', async (c) => {
    const caller = await admin(c);
    return c.json({ guestLinks: await options.guestLinks.list(caller.tenant) });
  });

  return app;
}
