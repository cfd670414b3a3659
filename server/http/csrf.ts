import { timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Authenticate } from '../identity/authenticator.ts';
import { sessionCookie } from './sessionCookie.ts';

/** The request header carrying the session's anti-CSRF token (given by `GET /api/session`). */
export const CSRF_HEADER = 'x-csrf-token';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a state-changing request authenticated by the session cookie unless it carries the session's
 * anti-CSRF token in `X-CSRF-Token` (synchronizer token: another site can make the browser send the cookie
 * but cannot read the token). Bearer-token requests (portals, the CLI) are not exposed to CSRF and pass;
 * `exempt` paths are sign-ins that act before any session exists.
 */
export function csrfProtection(verify: Authenticate, exempt: string[]): MiddlewareHandler {
  return async (c, next) => {
    const cookie = sessionCookie(c);
    if (
      safeMethods.has(c.req.method) ||
      c.req.header('authorization') ||
      !cookie ||
      exempt.includes(c.req.path)
    ) {
      return next();
    }
    const principal = await verify(cookie).catch(() => null);
    // An ended session is the route's to refuse (401); only a live session needs its token checked.
    if (!principal?.csrf) return next();
    const given = Buffer.from(c.req.header(CSRF_HEADER) ?? '');
    const expected = Buffer.from(principal.csrf);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return c.json({ error: 'csrf-token-invalid', message: 'reload the page and try again' }, 403);
    }
    return next();
  };
}
