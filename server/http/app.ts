import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { AuthError } from '../auth/errors.ts';
import type { Storage } from '../storage/storage.ts';
import type { OriginPolicy } from './originPolicy.ts';
import { clientRoutes } from './routes/client.ts';
import { healthRoutes } from './routes/health.ts';
import { type SessionOptions, sessionRoutes } from './routes/session.ts';
import { securityHeaders } from './securityHeaders.ts';

export interface HttpAppOptions {
  storage: Storage;
  registry: Registry;
  origins: OriginPolicy;
  session: SessionOptions;
  clientDist: string;
}

/** The HTTP side of the server: security headers, the Origin check on the API, and the routes. */
export function createHttpApp(options: HttpAppOptions) {
  const app = new Hono();
  app.use(
    '*',
    securityHeaders(() => options.origins.origins()),
  );
  app.use('/api/*', async (c, next) => {
    if (!options.origins.allows(c.req.header('origin'))) return c.json({ error: 'origin-not-allowed' }, 403);
    await next();
  });
  app.route('/', healthRoutes(options.storage, options.registry));
  app.route('/', sessionRoutes(options.session));
  app.all('/api/*', (c) => c.json({ error: 'not-found' }, 404));
  app.route('/', clientRoutes(options.clientDist));
  app.onError((error, c) => {
    if (error instanceof AuthError) return c.json({ error: error.reason }, 401);
    return c.json({ error: 'internal-error' }, 500);
  });
  return app;
}
