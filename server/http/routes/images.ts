import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import type { Logger } from '../../logger.ts';
import { fetchRemoteImage, RemoteImageError } from '../remoteImage.ts';
import { authenticateRequest, SESSION_COOKIE } from './session.ts';

/** The largest image the proxy relays, and how long it waits for one. */
const IMAGE_LIMITS = { maxBytes: 5 * 1024 * 1024, timeoutMs: 10_000 };

/**
 * `GET /api/image?src=<http(s) URL>`: a document's remote image, relayed by the server so that readers'
 * browsers only ever load images from this server (`img-src 'self' data:`): a document cannot make them call,
 * track or leak to another host. Only this server's own pages may use it (`Sec-Fetch-Site: same-origin`, as
 * the editor and the embed frame send) or a signed-in caller; see `fetchRemoteImage` for what is fetched.
 */
export function imageRoutes(options: { verify: TokenVerifier; logger: Logger }) {
  const app = new Hono();
  app.get('/api/image', async (c) => {
    if (c.req.header('sec-fetch-site') !== 'same-origin')
      await authenticateRequest(options.verify, c.req.header('authorization'), getCookie(c, SESSION_COOKIE));
    try {
      const image = await fetchRemoteImage(c.req.query('src') ?? '', IMAGE_LIMITS);
      c.header('Content-Type', image.type);
      c.header('Cache-Control', 'private, max-age=3600');
      return c.body(image.bytes.slice().buffer as ArrayBuffer);
    } catch (error) {
      if (!(error instanceof RemoteImageError)) throw error;
      options.logger.info({ code: error.code }, 'image not relayed');
      return c.json({ error: error.code, message: error.message }, error.status);
    }
  });
  return app;
}
