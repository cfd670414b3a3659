import type { Hocuspocus } from '@hocuspocus/server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Registry } from 'prom-client';
import { suites } from '../../connectors/suites.ts';
import type { LinkSupervisor } from '../../connectors/sync/linkSupervisor.ts';
import { publicFailure, RemoteError } from '../../connectors/sync/remoteErrors.ts';
import { AdminStoreError } from '../admin/adminStoreError.ts';
import type { AdminStores } from '../admin/adminStores.ts';
import type { AllowedHost, SuiteEndpointPolicies } from '../admin/endpointPolicy.ts';
import { AuthError } from '../auth/errors.ts';
import { errorSummary } from '../collab/durability.ts';
import type { AccessChange, OpenConnections } from '../collab/openConnections.ts';
import type { ConversionPool } from '../convert/conversionPool.ts';
import type { Authenticator } from '../identity/authenticator.ts';
import type { GuestLinksRepo } from '../identity/guestLinksRepo.ts';
import type { OidcClients } from '../identity/oidcClients.ts';
import type { SessionsRepo } from '../identity/sessionsRepo.ts';
import type { SharesRepo } from '../identity/sharesRepo.ts';
import { createWordAddinDialogConfig } from '../identity/wordAddinDialogConfig.ts';
import { createWordAddinSignIn } from '../identity/wordAddinSignIn.ts';
import type { ConnectorRegistry } from '../links/connectorRegistry.ts';
import type { LinkStatusBroadcast } from '../links/linkStatusBroadcast.ts';
import type { Logger } from '../logger.ts';
import type { Storage } from '../storage/storage.ts';
import { csrfProtection } from './csrf.ts';
import { signInConnectSources } from './officeAddinPolicy.ts';
import type { OriginPolicy } from './originPolicy.ts';
import { AdminRequiredError } from './routes/adminCaller.ts';
import { auditRoutes } from './routes/audit.ts';
import { clientRoutes } from './routes/client.ts';
import { credentialRoutes } from './routes/credentials.ts';
import { documentLinkRoutes } from './routes/documentLinks.ts';
import { documentRoutes } from './routes/documents.ts';
import { embedRoutes } from './routes/embed.ts';
import { guestLinkRoutes } from './routes/guestLinks.ts';
import { healthRoutes } from './routes/health.ts';
import { hookRoutes } from './routes/hooks.ts';
import { identityAdminRoutes } from './routes/identityAdmin.ts';
import { imageRoutes } from './routes/images.ts';
import { linkRoutes } from './routes/links.ts';
import { oidcRoutes } from './routes/oidc.ts';
import { revocationRoutes } from './routes/revocations.ts';
import { sessionRoutes } from './routes/session.ts';
import { shareRoutes } from './routes/shares.ts';
import { suiteRoutes } from './routes/suites.ts';
import { transferRoutes } from './routes/transfer.ts';
import { versionRoutes } from './routes/versions.ts';
import { wordAddinRoutes } from './routes/wordAddin.ts';
import { securityHeaders } from './securityHeaders.ts';

export interface HttpAppOptions {
  storage: Storage;
  registry: Registry;
  origins: OriginPolicy;
  identity: {
    authenticator: Authenticator;
    sessions: SessionsRepo;
    shares: SharesRepo;
    guestLinks: GuestLinksRepo;
    oidc: OidcClients;
    /** Re-checks (and closes) open sockets whose access may have ended. */
    accessChanged: (change: AccessChange) => Promise<void>;
    /** Local mode only: the printed sign-in code. */
    local: { signInCode: { matches(code: string | undefined): boolean } } | null;
  };
  /** The server's public URL (known once it listens): redirect URIs and guest links are built on it. */
  publicUrl: () => string;
  /** DOCBRIDGE_PUBLIC_URL as configured, if any (cookies are Secure when it is https). */
  configuredPublicUrl: string | undefined;
  clientDist: string;
  logger: Logger;
  conversions: ConversionPool;
  admin: {
    stores: AdminStores;
    links: LinkSupervisor;
    connectors: ConnectorRegistry;
    hocuspocus: Hocuspocus;
    endpoints: SuiteEndpointPolicies;
    statuses: LinkStatusBroadcast;
  };
  connections: OpenConnections;
  limits: { maxBodyBytes: number; maxNamedVersions: number };
  /** Send Strict-Transport-Security: the public URL is https. */
  hsts: boolean;
  /** DOCBRIDGE_EXTRA_ENDPOINT_HOSTS: also where the Word add-in's sign-in page may reach an Entra authority. */
  extraEndpointHosts: readonly AllowedHost[];
}

/** Store errors a caller can fix, as HTTP statuses; anything else is a 500. */
const storeErrorStatus: Record<string, 400 | 403 | 404 | 409> = {
  INVALID_INPUT: 400,
  CREDENTIAL_NOT_FOUND: 404,
  LINK_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  SHARE_NOT_FOUND: 404,
  GUEST_LINK_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  CREDENTIAL_TENANT_MISMATCH: 403,
  DOCUMENT_TENANT_MISMATCH: 403,
  CREDENTIAL_IN_USE: 409,
  LINK_EXISTS: 409,
  DOCUMENT_EXISTS: 409,
};

/** The HTTP side of the server: security headers, the Origin check on the API, and the routes. */
export function createHttpApp(options: HttpAppOptions) {
  const app = new Hono();
  const { identity, publicUrl } = options;
  const verify = identity.authenticator.request;
  const { stores, links, connectors, hocuspocus, statuses } = options.admin;
  app.use(
    '*',
    securityHeaders(() => options.origins.origins(), {
      hsts: options.hsts,
      signInConnect: signInConnectSources(options.extraEndpointHosts),
    }),
  );
  // Every request body is bounded (413); the import route sets its own, larger bound for files.
  const limitBody = bodyLimit({
    maxSize: options.limits.maxBodyBytes,
    onError: (c) =>
      c.json(
        {
          error: 'body-too-large',
          message: `request bodies above ${options.limits.maxBodyBytes} bytes are refused`,
        },
        413,
      ),
  });
  app.use('*', (c, next) => (c.req.path === '/api/documents/import' ? next() : limitBody(c, next)));
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
  // Sign-ins act before any session exists (the Word task pane may still carry a Docbridge cookie).
  app.use('/api/*', csrfProtection(verify, ['/api/guest-links/redeem', '/api/word-addin/session']));
  app.route('/', healthRoutes(options.storage, options.registry));
  const { sessions, shares, guestLinks, accessChanged } = identity;
  app.route(
    '/',
    sessionRoutes({
      verify,
      sessions,
      accessChanged,
      providers: identity.oidc.providers,
      publicUrl: options.configuredPublicUrl,
      local: identity.local,
    }),
  );
  app.route('/', oidcRoutes({ clients: identity.oidc, sessions, publicUrl, logger: options.logger }));
  const documents = stores.documents;
  const audit = stores.audit;
  app.route('/', shareRoutes({ verify, shares, documents, audit, accessChanged }));
  app.route(
    '/',
    guestLinkRoutes({ verify, guestLinks, sessions, documents, audit, accessChanged, publicUrl }),
  );
  app.route(
    '/',
    identityAdminRoutes({
      verify,
      providers: identity.oidc.providers,
      sessions,
      shares,
      guestLinks,
      audit,
      accessChanged,
      redirectBase: publicUrl,
    }),
  );
  // Web client: the documents API, and the embed script and its config (before the client's catch-all).
  app.route('/', documentRoutes({ verify, documents: stores.documents }));
  app.route(
    '/',
    credentialRoutes({
      verify,
      stores,
      endpoints: options.admin.endpoints,
      check: async (tenant, id) => {
        connectors.forget(tenant, id);
        try {
          await connectors.verify(tenant, id);
          return null;
        } catch (error) {
          const failure = publicFailure(error);
          if (!(error instanceof RemoteError))
            options.logger.warn({ err: errorSummary(error), credential: id }, 'credential check failed');
          return `${failure.code}: ${failure.message}`;
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
  app.route(
    '/',
    transferRoutes({ verify, documents: stores.documents, hocuspocus, conversions: options.conversions }),
  );
  app.route(
    '/',
    versionRoutes({
      verify,
      versions: stores.versions,
      audit: stores.audit,
      documents: stores.documents,
      hocuspocus,
      maxNamedVersions: options.limits.maxNamedVersions,
    }),
  );
  app.route('/', suiteRoutes({ verify, suites }));
  app.route(
    '/',
    wordAddinRoutes({
      signIn: createWordAddinSignIn({
        credentials: stores.credentials,
        links: stores.links,
        documents: stores.documents,
        connectors,
        sessions,
        audit: stores.audit,
      }),
      dialogConfig: createWordAddinDialogConfig({ credentials: stores.credentials, publicUrl }),
      logger: options.logger,
    }),
  );
  app.route(
    '/',
    hookRoutes(suites, (provider) => ({
      notified: (channelId, token, { poll, renew }) =>
        links.feeds.notified(provider, channelId, token, poll, renew ?? false),
    })),
  );
  app.route('/', imageRoutes({ verify, logger: options.logger }));
  app.route(
    '/',
    revocationRoutes({
      verify,
      revocations: stores.revocations,
      audit: stores.audit,
      connections: options.connections,
    }),
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
