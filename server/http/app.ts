import type { Hocuspocus } from '@hocuspocus/server';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import { suites } from '../../connectors/suites.ts';
import type { LinkSupervisor } from '../../connectors/sync/linkSupervisor.ts';
import { AdminStoreError } from '../admin/adminStoreError.ts';
import type { AdminStores } from '../admin/adminStores.ts';
import { AuthError } from '../auth/errors.ts';
import { errorSummary } from '../collab/durability.ts';
import type { ConnectorRegistry } from '../links/connectorRegistry.ts';
import type { LinkStatusBroadcast } from '../links/linkStatusBroadcast.ts';
import type { Logger } from '../logger.ts';
import type { Storage } from '../storage/storage.ts';
import type { OriginPolicy } from './originPolicy.ts';
import { AdminRequiredError } from './routes/adminCaller.ts';
import { auditRoutes } from './routes/audit.ts';
import { clientRoutes } from './routes/client.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { documentLinkRoutes } from './routes/documentLinks.ts';
import { documentRoutes } from './routes/documents.ts';
import { embedRoutes } from './routes/embed.ts';
import { healthRoutes } from './routes/health.ts';
import { hookRoutes } from './routes/hooks.ts';
import { linkRoutes } from './routes/links.ts';
import { type SessionOptions, sessionRoutes } from './routes/session.ts';
import { suiteRoutes } from './routes/suites.ts';
import { transferRoutes } from './routes/transfer.ts';
import { versionRoutes } from './routes/versions.ts';
import { securityHeaders } from './securityHeaders.ts';

export interface HttpAppOptions {
  storage: Storage;
  registry: Registry;
  origins: OriginPolicy;
  session: SessionOptions;
  clientDist: string;
  logger: Logger;
  admin: {
    stores: AdminStores;
    links: LinkSupervisor;
    connectors: ConnectorRegistry;
    hocuspocus: Hocuspocus;
    statuses: LinkStatusBroadcast;
  };
}

/** Store errors a caller can fix, as HTTP statuses; anything else is a 500. */
const storeErrorStatus: Record<string, 400 | 403 | 404 | 409> = {
  INVALID_INPUT: 400,
  CREDENTIAL_NOT_FOUND: 404,
  LINK_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  CREDENTIAL_TENANT_MISMATCH: 403,
  DOCUMENT_TENANT_MISMATCH: 403,
  CREDENTIAL_IN_USE: 409,
  LINK_EXISTS: 409,
  DOCUMENT_EXISTS: 409,
};

/** The HTTP side of the server: security headers, the Origin check on the API, and the routes. */
export function createHttpApp(options: HttpAppOptions) {
  const app = new Hono();
  const { verify } = options.session;
  const { stores, links, connectors, hocuspocus, statuses } = options.admin;
  app.use(
    '*',
    securityHeaders(() => options.origins.origins()),
  );
  // Suites load their heavy code lazily; the first look at the admin API (the admin page opening, the CLI)
  // warms it in the background, off the path of the verify or link request that follows.
  let warmed = false;
  const warmSuites = () => {
    if (warmed) return;
    warmed = true;
    Promise.all(suites.map((suite) => suite.preload())).catch((error: unknown) =>
      options.logger.warn({ err: errorSummary(error) }, 'could not preload a suite'),
    );
  };
  app.use('/api/*', async (c, next) => {
    if (!options.origins.allows(c.req.header('origin'))) return c.json({ error: 'origin-not-allowed' }, 403);
    if (/^\/api\/(suites|credentials|links)/.test(c.req.path)) warmSuites();
    await next();
  });
  app.route('/', healthRoutes(options.storage, options.registry));
  app.route('/', sessionRoutes(options.session));
  // Web client: the documents API, and the embed script and its config (before the client's catch-all).
  app.route('/', documentRoutes({ verify, documents: stores.documents }));
  app.route(
    '/',
    credentialRoutes({
      verify,
      stores,
      check: async (tenant, id) => {
        connectors.forget(tenant, id);
        try {
          await connectors.verify(tenant, id);
          return null;
        } catch (error) {
          return error instanceof Error ? error.message : String(error);
        }
      },
      onDeleted: async (tenant, id) => {
        await links.dropCredential(tenant, id);
        connectors.forget(tenant, id);
      },
    }),
  );
  app.route('/', linkRoutes({ verify, stores, links, connectors, hocuspocus }));
  app.route('/', auditRoutes({ verify, audit: stores.audit }));
  app.route('/', documentLinkRoutes({ verify, views: (tenant, doc) => statuses.views(tenant, doc) }));
  app.route('/', transferRoutes({ verify, documents: stores.documents, hocuspocus }));
  app.route('/', versionRoutes({ verify, versions: stores.versions, audit: stores.audit, hocuspocus }));
  app.route('/', suiteRoutes({ verify, suites }));
  app.route(
    '/',
    hookRoutes(suites, (provider) => ({
      notified: (channelId, token, { poll, renew }) =>
        links.feeds.notified(provider, channelId, token, poll, renew ?? false),
    })),
  );
  app.all('/api/*', (c) => c.json({ error: 'not-found' }, 404));
  app.route('/', embedRoutes({ distDir: options.clientDist, origins: options.origins }));
  app.route('/', clientRoutes(options.clientDist));
  app.onError((error, c) => {
    if (error instanceof AuthError) return c.json({ error: error.reason }, 401);
    if (error instanceof AdminRequiredError) return c.json({ error: 'admin-required' }, 403);
    if (error instanceof AdminStoreError && storeErrorStatus[error.code]) {
      return c.json(
        { error: error.code.toLowerCase().replaceAll('_', '-'), message: error.message },
        storeErrorStatus[error.code]!,
      );
    }
    options.logger.error(
      { err: { type: error.constructor.name, message: error.message }, path: c.req.path },
      'request failed',
    );
    return c.json({ error: 'internal-error' }, 500);
  });
  return app;
}
