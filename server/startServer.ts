import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Hocuspocus } from '@hocuspocus/server';
import { getRequestListener } from '@hono/node-server';
import { setAtomSealKeys } from '../connectors/model/atomSeal.ts';
import { suiteFor } from '../connectors/suites.ts';
import { defaultTiming } from '../connectors/sync/linkRunner.ts';
import { LinkSupervisor } from '../connectors/sync/linkSupervisor.ts';
import { createAdminStores } from './admin/adminStores.ts';
import { suiteEndpointPolicies } from './admin/endpointPolicy.ts';
import { atomSealKeyFrom, masterKeysFromEnv } from './admin/masterKey.ts';
import { SecretBox } from './admin/secretBox.ts';
import { appRoot } from './appRoot.ts';
import {
  createSignInCode,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  loadOrCreateLocalSecret,
} from './auth/localSignIn.ts';
import { createTokenVerifier, refusingRevoked } from './auth/tokenVerifier.ts';
import { Authentication } from './collab/authentication.ts';
import { AwarenessPolicy } from './collab/awarenessPolicy.ts';
import { Durability, errorSummary } from './collab/durability.ts';
import { LinkWakeups } from './collab/linkWakeups.ts';
import { createMetrics } from './collab/metrics.ts';
import { OpenConnections } from './collab/openConnections.ts';
import { createSocketRouter } from './collab/socketRouter.ts';
import { type Config, isLoopback } from './config.ts';
import { ConversionPool } from './convert/conversionPool.ts';
import { ensureDemoDocument } from './demoDocument.ts';
import { createHttpApp } from './http/app.ts';
import { refuseBadHost } from './http/hostHeader.ts';
import { createOriginPolicy } from './http/originPolicy.ts';
import { createAuthenticator } from './identity/authenticator.ts';
import { grantAudit } from './identity/grantAudit.ts';
import { GuestLinksRepo } from './identity/guestLinksRepo.ts';
import { createOidcClients } from './identity/oidcClients.ts';
import { SessionsRepo } from './identity/sessionsRepo.ts';
import { SharesRepo } from './identity/sharesRepo.ts';
import { ConnectorRegistry } from './links/connectorRegistry.ts';
import { LinkStatusBroadcast } from './links/linkStatusBroadcast.ts';
import { AdminLinkStore } from './links/linkStoreAdapter.ts';
import { HocuspocusLiveDocuments } from './links/liveDocuments.ts';
import type { Logger } from './logger.ts';
import { createStorage } from './storage/createStorage.ts';
import { mergeSmallLogsHere } from './storage/mergeUpdates.ts';

export interface RunningServer {
  port: number;
  url: string;
  /** Local mode: the one-time sign-in link to print. */
  signInLink: string | null;
  close(): Promise<void>;
}

/**
 * Builds and starts one Docbridge process from a validated configuration: storage, the Hocuspocus instance
 * with its extensions (authentication, durability, metrics, Redis when configured), the WebSocket routes and
 * the HTTP app, all on one port.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const storage = await createStorage({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    commitSpacingMs: config.DOCBRIDGE_COMMIT_SPACING_MS,
  });
  await storage.migrate();

  const localSecret = config.localMode ? loadOrCreateLocalSecret(config.dataDir) : null;
  if (config.DOCBRIDGE_DEMO === 'on' && config.localMode) await ensureDemoDocument(storage, 'local/demo');

  const metrics = createMetrics();
  const durability = new Durability({
    storage,
    logger,
    compactAfter: config.DOCBRIDGE_COMPACT_AFTER,
    onPersisted: (latencies) => metrics.observePersisted(latencies),
    // Large logs merge off the event loop, in the conversion workers (made below, before any document loads).
    merge: mergeSmallLogsHere((snapshot, updates) => conversions.mergeUpdates(snapshot, updates)),
  });
  // ioredis and the Redis extension load only when configured: a single instance never holds them.
  const redis = config.REDIS_URL
    ? new (await import('./collab/crossInstance.ts')).CrossInstanceRedis({
        url: config.REDIS_URL,
        logger,
        applyStored: (document, name) => durability.applyStored(document, name),
      })
    : null;
  if (redis && config.DOCBRIDGE_TEST_FAULTS === 'withhold-fanout') {
    // Test builds: SIGUSR2 makes this instance stop publishing, as if it died between commit and fan-out.
    logger.warn('DOCBRIDGE_TEST_FAULTS is set: SIGUSR2 withholds fan-out to other instances');
    process.on('SIGUSR2', () => redis.withholdFanout());
  }
  const hocuspocus = new Hocuspocus({ name: 'docbridge', quiet: true });

  // Connector secrets are sealed with the configured master key. Only local mode may fall back to a key file
  // in the data directory (mode 0600); elsewhere the configuration refused to start without a key.
  const masterKeys = await masterKeysFromEnv(
    {
      DOCBRIDGE_MASTER_KEY: config.DOCBRIDGE_MASTER_KEY,
      DOCBRIDGE_MASTER_KEYS: config.DOCBRIDGE_MASTER_KEYS,
    },
    config.localMode ? config.dataDir : undefined,
  );
  const box = new SecretBox(masterKeys);
  // Atom payload stamps (connectors/model/atomSeal.ts) under keys derived from the master keys: the same on
  // every instance and after a restart, never the master key itself.
  setAtomSealKeys(masterKeys.map(({ key }) => atomSealKeyFrom(key)));
  const stores = createAdminStores(storage.sql, box);
  const verify = refusingRevoked(
    createTokenVerifier(
      localSecret
        ? { secret: localSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }
        : {
            secret: config.DOCBRIDGE_JWT_SECRET,
            jwksUrl: config.DOCBRIDGE_JWKS_URL,
            issuer: config.DOCBRIDGE_JWT_ISSUER,
            audience: config.DOCBRIDGE_JWT_AUDIENCE,
          },
    ),
    (tenant, sub) => stores.revocations.revokedAt(tenant, sub),
  );
  const IORedis = config.REDIS_URL ? (await import('ioredis')).Redis : null;
  const connections = new OpenConnections({
    logger,
    redis: IORedis ? () => new IORedis(config.REDIS_URL!, { maxRetriesPerRequest: null }) : undefined,
  });
  // Several instances: the one running a link hears at once when the Word add-in left another one.
  const liveClientsChannel = IORedis
    ? new (await import('./links/liveClientsChannel.ts')).RedisLiveClientsChannel(
        new IORedis(config.REDIS_URL!, { maxRetriesPerRequest: null }),
        new IORedis(config.REDIS_URL!, { maxRetriesPerRequest: null }),
        logger,
      )
    : null;
  const endpoints = suiteEndpointPolicies(config.DOCBRIDGE_EXTRA_ENDPOINT_HOSTS);
  // Several instances run links of one credential: its quota is kept in Redis, so together they stay under it.
  // Fail fast when Redis is away (each limiter then keeps its local budget) rather than stall every link.
  const quotaRedis = IORedis
    ? new IORedis(config.REDIS_URL!, {
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        commandTimeout: 2000,
      })
    : null;
  quotaRedis?.on('error', (error: Error) =>
    logger.warn({ err: errorSummary(error) }, 'shared quota: redis error (local budgets meanwhile)'),
  );
  const connectors = new ConnectorRegistry(
    stores.credentials,
    endpoints,
    quotaRedis ? (await import('./links/redisQuota.ts')).redisQuotas(quotaRedis) : undefined,
  );
  const publicUrl = config.DOCBRIDGE_PUBLIC_URL;
  const timing = { ...defaultTiming, activeWindowMs: config.DOCBRIDGE_ACTIVE_WINDOW_MS };
  const statuses = new LinkStatusBroadcast(
    hocuspocus,
    stores.links,
    (doc) => links.statesOf(doc),
    (error) => logger.warn({ err: errorSummary(error) }, 'could not push link statuses'),
  );
  // A link keeps its document open while it is polled; twice the quiet poll interval after its last step
  // (the link went idle: nobody edits, nobody has it open), it lets go.
  const live = new HocuspocusLiveDocuments(hocuspocus, timing.quietPollMs * 2);
  const links: LinkSupervisor = new LinkSupervisor({
    store: new AdminLinkStore(storage, box),
    live,
    connectors: (link) => connectors.get(link.tenant, link.credentialId),
    ...(liveClientsChannel ? { channel: liveClientsChannel } : {}),
    warn: (message, error, details) =>
      logger.warn({ ...details, ...(error === null ? {} : { err: errorSummary(error) }) }, message),
    note: (message, details) => logger.info(details, message),
    onState: (link) => statuses.changed(link.tenant, link.doc),
    liveClientName: (provider) => suiteFor(provider)?.liveClient ?? provider,
    timing,
    changeFeed: {
      intervalMs: config.DOCBRIDGE_CHANGE_FEED_INTERVAL_MS,
      channelLifetimeMs: config.DOCBRIDGE_WATCH_LIFETIME_MS ?? null,
      // Remotes only post notifications to HTTPS addresses.
      webhookAddress: (provider) => {
        const path = suiteFor(provider)?.webhook?.path;
        return path && publicUrl?.startsWith('https://') ? `${publicUrl.replace(/\/$/, '')}${path}` : null;
      },
    },
  });
  const sessions = new SessionsRepo(storage.sql);
  const shares = new SharesRepo(storage.sql);
  const guestLinks = new GuestLinksRepo(storage.sql);
  const authenticator = createAuthenticator({
    verify,
    sessions,
    shares,
    guestLinks,
    revokedAt: (tenant, sub) => stores.revocations.revokedAt(tenant, sub),
    providers: config.oidcProviders.map((provider) => provider.id),
  });
  hocuspocus.configure({
    extensions: [
      new Authentication(
        authenticator.socket,
        connections,
        logger,
        {
          documentsPerConnection: config.DOCBRIDGE_MAX_DOCUMENTS_PER_CONNECTION,
          connectionsPerUser: config.DOCBRIDGE_MAX_CONNECTIONS_PER_USER,
        },
        grantAudit(stores.audit),
      ),
      connections,
      new AwarenessPolicy(config.DOCBRIDGE_MAX_AWARENESS_BYTES),
      durability,
      metrics.extension,
      new LinkWakeups(links, live),
      statuses,
      ...(redis ? [redis] : []),
    ],
  });

  await redis?.start();

  const httpServer = createServer();
  const origins = createOriginPolicy(config.DOCBRIDGE_ALLOWED_ORIGINS);
  const signInCode = localSecret ? createSignInCode() : null;
  const conversions = new ConversionPool({
    memoryMb: config.DOCBRIDGE_CONVERT_MEMORY_MB,
    timeoutMs: config.DOCBRIDGE_CONVERT_TIMEOUT_MS,
  });
  let url = '';
  const app = createHttpApp({
    conversions,
    storage,
    registry: metrics.registry,
    origins,
    identity: {
      authenticator,
      sessions,
      shares,
      guestLinks,
      oidc: createOidcClients(config.oidcProviders),
      accessChanged: (change) => connections.recheckEverywhere(change),
      local: signInCode ? { signInCode } : null,
    },
    publicUrl: () => url,
    configuredPublicUrl: config.DOCBRIDGE_PUBLIC_URL,
    clientDist: join(appRoot, 'client/dist'),
    logger,
    admin: { stores, links, connectors, hocuspocus, endpoints, statuses },
    connections,
    hsts: publicUrl?.startsWith('https://') ?? false,
    extraEndpointHosts: config.DOCBRIDGE_EXTRA_ENDPOINT_HOSTS,
    limits: {
      maxBodyBytes: config.DOCBRIDGE_MAX_BODY_BYTES,
      maxNamedVersions: config.DOCBRIDGE_MAX_NAMED_VERSIONS,
    },
  });
  httpServer.on('request', refuseBadHost(getRequestListener(app.fetch)));
  const sockets = createSocketRouter({
    hocuspocus,
    logger,
    maxMessageBytes: config.DOCBRIDGE_MAX_MESSAGE_BYTES,
    allowsOrigin: (origin) => origins.allows(origin),
    whenDurable: (document) => durability.whenDurable(document),
  });
  httpServer.on('upgrade', sockets.handleUpgrade);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.host, resolve);
  });
  const port = (httpServer.address() as AddressInfo).port;
  const displayHost = config.localMode ? 'localhost' : config.host === '0.0.0.0' ? 'localhost' : config.host;
  url = config.DOCBRIDGE_PUBLIC_URL ?? `http://${displayHost}:${port}`;
  // The server's own origin; `localhost` ones only when the server itself is local (config.loopbackOrigins).
  const own = [url, `http://localhost:${port}`, `http://127.0.0.1:${port}`];
  origins.addOwn(own.filter((origin) => config.loopbackOrigins || !isLoopback(new URL(origin).hostname)));

  links.start();
  logger.info(
    { port, host: config.host, storage: storage.kind, redis: !!redis, localMode: config.localMode },
    'docbridge listening',
  );

  let closing: Promise<void> | null = null;
  return {
    port,
    url,
    signInLink: signInCode ? `${url}/signin?code=${signInCode.code}` : null,
    close() {
      closing ??= (async () => {
        await links.stop();
        statuses.stop();
        await conversions.close();
        sockets.close();
        hocuspocus.closeConnections();
        hocuspocus.flushPendingStores();
        await durability.flush();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeAllConnections();
        await redis?.onDestroy();
        await connections.destroy();
        await liveClientsChannel?.close();
        quotaRedis?.disconnect();
        await storage.close();
      })();
      return closing;
    },
  };
}
