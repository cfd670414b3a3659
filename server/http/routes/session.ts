import { Hono } from 'hono';
import type { Claims } from '../../auth/claims.ts';
import { localUser } from '../../auth/localSignIn.ts';
import type { AccessChange } from '../../collab/openConnections.ts';
import type { Authenticate } from '../../identity/authenticator.ts';
import type { OidcProviderConfig } from '../../identity/oidcProviders.ts';
import { socketKeyOf } from '../../identity/secrets.ts';
import type { SessionRecord, SessionsRepo } from '../../identity/sessionsRepo.ts';
import {
  clearSessionCookie,
  isHttps,
  SESSION_COOKIE,
  sessionCookie,
  setSessionCookie,
} from '../sessionCookie.ts';

export { SESSION_COOKIE };

/** How long a signed-in session lasts without signing in again. */
export const SESSION_MS = 12 * 3600_000;

export interface SessionOptions {
  /** Resolves a bearer token or a session cookie secret to the caller (server/identity/authenticator.ts). */
  verify: Authenticate;
  sessions: SessionsRepo;
  /** Re-checks open sockets after a session ends (sign-out, revocation). */
  accessChanged: (change: AccessChange) => Promise<void>;
  providers: OidcProviderConfig[];
  publicUrl: string | undefined;
  /** Local mode only: the printed sign-in code. */
  local: { signInCode: { matches(code: string | undefined): boolean } } | null;
}

/**
 * The caller of an API request: a bearer token (portals, identity providers) or the session cookie. Throws
 * AuthError when neither is valid. (`verify` is the authenticator, so shares and sessions count.)
 */
export async function authenticateRequest<P extends Claims>(
  verify: (credential: string | undefined) => Promise<P>,
  authorization: string | undefined,
  cookie: string | undefined,
): Promise<P> {
  const bearer = authorization?.match(/^Bearer (.+)$/i)?.[1];
  return verify(bearer ?? cookie);
}

/**
 * Sign-in and session endpoints. `GET /signin?code=` (local mode) exchanges the printed code for a server-side
 * session and redirects, so the code does not stay in the address bar or history. `GET /api/session` says
 * who is signed in (and gives the page its anti-CSRF token); `POST /api/session/token` gives the editor its
 * WebSocket key, sent in the first protocol message rather than in a URL; `POST /api/session/signout` ends
 * the session on the server and closes its sockets; `GET`/`DELETE /api/session/sessions` list and end the
 * user's own sessions. `GET /api/auth/providers` lists the sign-in buttons.
 */
export function sessionRoutes(options: SessionOptions) {
  const app = new Hono();
  const { local, verify, sessions } = options;
  const caller = (c: { req: { header(name: string): string | undefined } }, cookie: string | undefined) =>
    authenticateRequest(verify, c.req.header('authorization'), cookie);

  app.get('/signin', async (c) => {
    // Without a code this is someone looking for the sign-in page: the buttons are on the documents page.
    if (c.req.query('code') === undefined) return c.redirect('/', 303);
    if (!local?.signInCode.matches(c.req.query('code'))) {
      return c.text('This sign-in link is not valid. Use the link printed by the server at start.', 403);
    }
    const opened = await sessions.open({
      tenant: localUser.tenant,
      userId: localUser.sub,
      userName: localUser.name ?? localUser.sub,
      email: null,
      admin: true,
      via: 'local',
      guestLinkId: null,
      docs: localUser.docs,
      userAgent: c.req.header('user-agent') ?? null,
      ttlMs: SESSION_MS,
    });
    setSessionCookie(c, opened.cookie, SESSION_MS, isHttps(c, options.publicUrl));
    return c.redirect('/', 303);
  });

  app.get('/api/auth/providers', (c) =>
    c.json({
      local: local !== null,
      providers: options.providers.map((p) => ({ id: p.id, label: p.label, href: `/auth/${p.id}/start` })),
    }),
  );

  app.post('/api/session/signout', async (c) => {
    const cookie = sessionCookie(c);
    if (cookie?.startsWith('dbs.')) {
      const principal = await verify(cookie).catch(() => null);
      if (principal?.sessionId) {
        await sessions.revoke(principal.tenant, principal.sessionId);
        await options.accessChanged({ sessionId: principal.sessionId });
      }
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  });

  app.get('/api/session', async (c) => {
    const principal = await caller(c, sessionCookie(c));
    return c.json({
      user: {
        id: principal.sub,
        name: principal.name ?? principal.sub,
        tenant: principal.tenant,
        admin: !!principal.admin,
        guest: principal.guestLinkId !== null,
      },
      docs: principal.docs,
      csrfToken: principal.csrf,
      sessionId: principal.sessionId,
    });
  });

  app.post('/api/session/token', async (c) => {
    const cookie = sessionCookie(c);
    if (c.req.header('authorization') || !cookie?.startsWith('dbs.'))
      return c.json(
        { error: 'not-available', message: 'tokens are minted by your portal or identity provider' },
        404,
      );
    const principal = await verify(cookie);
    const expiresIn = principal.exp - Math.floor(Date.now() / 1000);
    return c.json({ token: socketKeyOf(cookie), expiresIn: Math.max(1, expiresIn) });
  });

  app.get('/api/session/sessions', async (c) => {
    const principal = await caller(c, sessionCookie(c));
    const mine = await sessions.list(principal.tenant, principal.sub);
    return c.json({ sessions: mine.map((s) => sessionView(s, principal.sessionId)) });
  });

  app.delete('/api/session/sessions/:id', async (c) => {
    const principal = await caller(c, sessionCookie(c));
    const mine = await sessions.list(principal.tenant, principal.sub);
    const target = mine.find((s) => s.id === c.req.param('id'));
    if (!target) return c.json({ error: 'session-not-found' }, 404);
    await sessions.revoke(principal.tenant, target.id);
    await options.accessChanged({ sessionId: target.id });
    return c.json({ ok: true });
  });

  return app;
}

/** What a session list shows of one session: never its secrets. */
export function sessionView(session: SessionRecord, current: string | null) {
  return {
    id: session.id,
    user: { id: session.userId, name: session.userName, email: session.email },
    via: session.via,
    admin: session.admin,
    userAgent: session.userAgent,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    current: session.id === current,
  };
}
