import type { MiddlewareHandler } from 'hono';
import {
  addinSignInPage,
  isAddinPath,
  officeFrameAncestors,
  officeScriptOrigin,
} from './officeAddinPolicy.ts';

/**
 * Headers every response carries: a strict Content-Security-Policy (no inline script; images only from this
 * server, which relays remote ones at `/api/image`, and `data:`), framing limited to the
 * allowed origins, no MIME sniffing, no referrer (sign-in links must never leak through it), and HSTS when
 * the server is reached over https (`hsts`: a year, subdomains included). The Word add-in's pages also allow
 * Office.js from Microsoft's CDN and framing by Word for the web (`officeAddinPolicy.ts`), and send no
 * Cross-Origin-Opener-Policy: Office's dialog API (the sign-in fallback) talks to the window that opened it.
 * The dialog's own page may also connect to Entra's login hosts (`signInConnect`) to redeem its code.
 */
export function securityHeaders(
  frameAncestors: () => string[],
  options: { hsts: boolean; signInConnect: readonly string[] },
): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const addin = isAddinPath(c.req.path);
    const ancestors = ["'self'", ...frameAncestors(), ...(addin ? officeFrameAncestors : [])].join(' ');
    const scripts = addin ? `'self' ${officeScriptOrigin}` : "'self'";
    const connect = [
      "'self'",
      'ws:',
      'wss:',
      ...(c.req.path === addinSignInPage ? options.signInConnect : []),
    ];
    c.header(
      'Content-Security-Policy',
      `default-src 'self'; script-src ${scripts}; style-src 'self'; img-src 'self' data:; connect-src ${connect.join(' ')}; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`,
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (!addin) c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (options.hsts) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
