import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Claims } from '../../auth/claims.ts';
import { localUser, mintToken } from '../../auth/localSignIn.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';

export const SESSION_COOKIE = 'docbridge_session';
const SESSION_SECONDS = 12 * 3600;
const SOCKET_TOKEN_SECONDS = 3600;

export interface SessionOptions {
  verify: TokenVerifier;
  /** Local mode only: the secret sessions are signed with, and the printed sign-in code. */
  local: { secret: string; signInCode: { matches(code: string | undefined): boolean } } | null;
}

/**
 * The caller of an API request: a bearer token (portals, identity providers) or, in local mode, the session
 * cookie set by the sign-in link. Throws AuthError when neither is valid.
 */
export async function authenticateRequest(
  verify: TokenVerifier,
  authorization: string | undefined,
  cookie: string | undefined,
): Promise<Claims> {
  const bearer = authorization?.match(/^Bearer (.+)$/i)?.[1];
  return verify(bearer ?? cookie);
}

/**
 * Sign-in and session endpoints. `GET /signin?code=` (local mode) exchanges the printed code for an HttpOnly
 * cookie and redirects, so the code does not stay in the address bar or history. `GET /api/session` says who
 * is signed in; `POST /api/session/token` mints a short-lived token for the editor's WebSocket, which sends it
 * in its first protocol message rather than in a URL.
 */
export function sessionRoutes(options: SessionOptions) {
  const app = new Hono();
  const { local, verify } = options;

  app.get('/signin', async (c) => {
    if (!local?.signInCode.matches(c.req.query('code'))) {
      return c.text('This sign-in link is not valid. Use the link printed by the server at start.', 403);
    }
    const session = await mintToken(local.secret, localUser, SESSION_SECONDS);
    setCookie(c, SESSION_COOKIE, session, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      maxAge: SESSION_SECONDS,
      secure: new URL(c.req.url).protocol === 'https:',
    });
    return c.redirect('/', 303);
  });

  app.post('/api/session/signout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.body(null, 204);
  });

  app.get('/api/session', async (c) => {
    const claims = await authenticateRequest(
      verify,
      c.req.header('authorization'),
      getCookie(c, SESSION_COOKIE),
    );
    return c.json({
      user: { id: claims.sub, name: claims.name ?? claims.sub, tenant: claims.tenant, admin: !!claims.admin },
      docs: claims.docs,
    });
  });

  app.post('/api/session/token', async (c) => {
    if (!local)
      return c.json(
        { error: 'not-available', message: 'tokens are minted by your portal or identity provider' },
        404,
      );
    const claims = await authenticateRequest(verify, undefined, getCookie(c, SESSION_COOKIE));
    return c.json({
      token: await mintToken(local.secret, claims, SOCKET_TOKEN_SECONDS),
      expiresIn: SOCKET_TOKEN_SECONDS,
    });
  });

  return app;
}
