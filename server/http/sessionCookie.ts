import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/** The session cookie: a random secret whose hash names a row of the `sessions` table. */
export const SESSION_COOKIE = 'docbridge_session';

/**
 * True when cookies must be `Secure`: the request came over https, or the public URL (a TLS-terminating proxy
 * in front of the server) is https.
 */
export function isHttps(c: Context, publicUrl: string | undefined): boolean {
  return new URL(c.req.url).protocol === 'https:' || !!publicUrl?.startsWith('https://');
}

/**
 * Sets the session cookie: `HttpOnly` (scripts never see it), `SameSite=Lax` (sent on the top-level redirect
 * back from an identity provider, never on cross-site subrequests), `Secure` over https.
 */
export function setSessionCookie(c: Context, secret: string, maxAgeMs: number, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: Math.max(1, Math.floor(maxAgeMs / 1000)),
    secure,
  });
}

/** The session cookie of this request, if any. */
export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
}
