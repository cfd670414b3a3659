import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Hocuspocus } from '@hocuspocus/server';
import { getRequestListener } from '@hono/node-server';
import { defaultTiming } from '../connectors/sync/linkRunner.ts';
import { createAdminStores } from './admin/adminStores.ts';
import { masterKeysFromEnv } from './admin/masterKey.ts';
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
import { Durability } from './collab/durability.ts';
import { LinkWakeups } from './collab/linkWakeups.ts';
import { createMetrics } from './collab/metrics.ts';
import { OpenConnections } from './collab/openConnections.ts';
import { createSocketRouter } from './collab/socketRouter.ts';
import { type Config, isLoopback } from './config.ts';
import { ensureDemoDocument } from './demoDocument.ts';
import { createHttpApp } from './http/app.ts';
import { createOriginPolicy } from './http/originPolicy.ts';
import { ConnectorRegistry } from './links/connectorRegistry.ts';
import { LinkService } from './links/linkService.ts';
import type { Logger } from './logger.ts';
import { createStorage } from './storage/createStorage.ts';

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
  const storage = await createStorage({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  await storage.migrate();

  const localSecret = config.localMode ? loadOrCreateLocalSecret(config.dataDir) : null;
  if (config.DOCBRIDGE_DEMO === 'on' && config.localMode) await ensureDemoDocument(storage, 'local/demo');

  const metrics = createMetrics();
  const durability = new Durability({
    storage,
    logger,
    compactAfter: config.DOCBRIDGE_COMPACT_AFTER,
    onPersisted: (latencies) => metrics.observePersisted(latencies),
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
  const box = new SecretBox(
    await masterKeysFromEnv(
      {
        DOCBRIDGE_MASTER_KEY: config.DOCBRIDGE_MASTER_KEY,
        DOCBRIDGE_MASTER_KEYS: config.DOCBRIDGE_MASTER_KEYS,
      },
      config.localMode ? config.dataDir : undefined,
    ),
  );
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
  const connectors = new ConnectorRegistry(stores.credentials);
  const publicUrl = config.DOCBRIDGE_PUBLIC_URL;
  const links = new LinkService({
    storage,
    box,
    hocuspocus,
    connectors,
    logger,
    timing: { ...defaultTiming, activeWindowMs: config.DOCBRIDGE_ACTIVE_WINDOW_MS },
    changeFeed: {
      intervalMs: config.DOCBRIDGE_CHANGE_FEED_INTERVAL_MS,
      // Google only posts notifications to HTTPS addresses.
      webhookAddress: publicUrl?.startsWith('https://')
        ? `${publicUrl.replace(/\/$/, '')}/hooks/google`
        : null,
    },
  });
  hocuspocus.configure({
    extensions: [
      new Authentication(verify, connections, logger, {
        documentsPerConnection: config.DOCBRIDGE_MAX_DOCUMENTS_PER_CONNECTION,
        connectionsPerUser: config.DOCBRIDGE_MAX_CONNECTIONS_PER_USER,
      }),
      connections,
      new AwarenessPolicy(config.DOCBRIDGE_MAX_AWARENESS_BYTES),
      durability,
      metrics.extension,
      new LinkWakeups(links),
      ...(redis ? [redis] : []),
    ],
  });

  await redis?.start();

  const httpServer = createServer();
  const origins = createOriginPolicy(config.DOCBRIDGE_ALLOWED_ORIGINS);
  const signInCode = localSecret ? createSignInCode() : null;
  const app = createHttpApp({
    storage,
    registry: metrics.registry,
    origins,
    session: { verify, local: localSecret && signInCode ? { secret: localSecret, signInCode } : null },
    clientDist: join(appRoot, 'client/dist'),
    logger,
    admin: { stores, links, connectors, hocuspocus },
    connections,
    hsts: publicUrl?.startsWith('https://') ?? false,
    limits: {
      maxBodyBytes: config.DOCBRIDGE_MAX_BODY_BYTES,
      maxNamedVersions: config.DOCBRIDGE_MAX_NAMED_VERSIONS,
    },
  });
  httpServer.on('request', getRequestListener(app.fetch));
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
  const url = config.DOCBRIDGE_PUBLIC_URL ?? `http://${displayHost}:${port}`;
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
        sockets.close();
        hocuspocus.closeConnections();
        hocuspocus.flushPendingStores();
        await durability.flush();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeAllConnections();
        await redis?.onDestroy();
        await connections.destroy();
        await storage.close();
      })();
      return closing;
    },
  };
}
