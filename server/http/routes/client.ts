import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Hono } from 'hono';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The page an address without a file extension gets: the editor, the embed iframe, or the documents list. */
function pageFor(pathname: string): string {
  if (pathname.startsWith('/d/')) return 'doc.html';
  if (pathname.startsWith('/embed/')) return 'embed.html';
  if (/^\/admin\/?$/.test(pathname)) return 'admin.html';
  return 'index.html';
}

/**
 * The built web client (`client/dist`, made by `npm run build:client`) at `/`: files by path, `/d/<tenant>/<id>`
 * the editor page, `/embed/<tenant>/<id>` the iframe page, `/admin` the admin pages, anything else the
 * documents page. Until the
 * client is built, a plain page saying the server runs. Paths are confined to the build folder. Hashed
 * assets are cached for good; pages are revalidated so a new build is picked up at once.
 */
export function clientRoutes(distDir: string) {
  const app = new Hono();
  app.get('/*', async (c) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(c.req.url).pathname);
    } catch {
      return c.text('Bad request: the path is not valid percent-encoding.', 400);
    }
    if (!existsSync(join(distDir, 'index.html'))) return c.html(placeholder);
    const path = normalize(join(distDir, pathname));
    if (!path.startsWith(distDir + sep) && path !== distDir) return c.notFound();
    if (pathname.startsWith('/assets/') && !existsSync(path)) return c.notFound();
    const file = existsSync(path) && extname(path) ? path : join(distDir, pageFor(pathname));
    c.header('Content-Type', types[extname(file)] ?? 'application/octet-stream');
    c.header(
      'Cache-Control',
      pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    return c.body(await readFile(file));
  });
  return app;
}

const placeholder = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Docbridge</title></head>
<body>
<main>
<h1>Docbridge is running</h1>
<p>The collaboration server is up: Hocuspocus clients connect to <code>/collab</code>, y-websocket clients to <code>/yjs/&lt;tenant&gt;/&lt;id&gt;</code>.</p>
<p>The web editor has not been built into this server yet.</p>
</main>
</body>
</html>`;
