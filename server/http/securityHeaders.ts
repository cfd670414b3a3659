import type { MiddlewareHandler } from 'hono';

/**
 * Headers every response carries: a strict Content-Security-Policy (no inline script; images only from this
 * server, which relays remote ones at `/api/image`, and `data:`), framing limited to the
 * allowed origins, no MIME sniffing, no referrer (sign-in links must never leak through it), and HSTS when
 * the server is reached over https (`hsts`: a year, subdomains included).
 */
export function securityHeaders(
  frameAncestors: () => string[],
  options: { hsts: boolean },
): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const ancestors = ["'self'", ...frameAncestors()].join(' ');
    c.header(
      'Content-Security-Policy',
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ${ancestors}`,
    );
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    if (options.hsts) c.header('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  };
}
