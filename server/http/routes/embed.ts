import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import type { OriginPolicy } from '../originPolicy.ts';

/**
 * What portals load: `GET /embed.js` (the `<docbridge-editor>` custom element, from the client build) and
 * `GET /embed/config.json`, which tells the element whether the page's Origin may embed documents and tells
 * the iframe page which parent origins to accept messages from. The allowlist is the same one that sets
 * `frame-ancestors` (it is public in that header already). Both answer any origin (CORS `*`, no
 * credentials): the script is public code, and the config holds no secret.
 */
export function embedRoutes(options: { distDir: string; origins: OriginPolicy }) {
  const app = new Hono();

  app.get('/embed.js', async (c) => {
    const file = join(options.distDir, 'embed.js');
    if (!existsSync(file)) return c.text('// The web client has not been built (npm run build:client).', 404);
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    c.header('Cache-Control', 'no-cache');
    return c.body(await readFile(file));
  });

  app.get('/embed/config.json', (c) => {
    const origin = c.req.header('origin');
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cache-Control', 'no-store');
    return c.json({
      allowedOrigins: options.origins.origins(),
      originAllowed: origin !== undefined && options.origins.allows(origin),
    });
  });

  return app;
}
