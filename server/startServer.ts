import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Hocuspocus } from '@hocuspocus/server';
import { getRequestListener } from '@hono/node-server';
import { suiteFor } from '../connectors/suites.ts';
import { defaultTiming } from '../connectors/sync/linkRunner.ts';
import { LinkSupervisor } from '../connectors/sync/linkSupervisor.ts';
import { createAdminStores } from './admin/adminStores.ts';
import { masterKeysFromEnv } from './admin/masterKey.ts';
import { SecretBox } from './admin/secretBox.ts';
import {
  createSignInCode,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  loadOrCreateLocalSecret,
} from './auth/localSignIn.ts';
import { createTokenVerifier } from './auth/tokenVerifier.ts';
import { Authentication } from './collab/authentication.ts';
import { Durability, errorSummary } from './collab/durability.ts';
import { LinkWakeups } from './collab/linkWakeups.ts';
import { createMetrics } from './collab/metrics.ts';
import { createRedisExtension } from './collab/redis.ts';
import { createSocketRouter } from './collab/socketRouter.ts';
import type { Config } from './config.ts';
import { ensureDemoDocument } from './demoDocument.ts';
import { createHttpApp } from './http/app.ts';
import { createOriginPolicy } from './http/originPolicy.ts';
import { ConnectorRegistry } from './links/connectorRegistry.ts';
import { LinkStatusBroadcast } from './links/linkStatusBroadcast.ts';
import { AdminLinkStore } from './links/linkStoreAdapter.ts';
import { HocuspocusLiveDocuments } from './links/liveDocuments.ts';
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
  const storage = createStorage({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  await storage.migrate();

  const localSecret = config.localMode ? loadOrCreateLocalSecret(config.dataDir) : null;
  const verify = createTokenVerifier(
    localSecret
      ? { secret: localSecret, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE }
      : {
          secret: config.DOCBRIDGE_JWT_SECRET,
          jwksUrl: config.DOCBRIDGE_JWKS_URL,
          issuer: config.DOCBRIDGE_JWT_ISSUER,
          audience: config.DOCBRIDGE_JWT_AUDIENCE,
        },
  );
  if (config.DOCBRIDGE_DEMO === 'on' && config.localMode) await ensureDemoDocument(storage, 'local/demo');

  const metrics = createMetrics();
  const durability = new Durability({
    storage,
    logger,
    compactAfter: config.DOCBRIDGE_COMPACT_AFTER,
    onPersisted: (latencies) => metrics.observePersisted(latencies),
  });
  const redis = config.REDIS_URL ? createRedisExtension(config.REDIS_URL) : null;
  const hocuspocus = new Hocuspocus({ name: 'docbridge', quiet: true });

  // Connector secrets are sealed with the master key from the environment; without one, a key file in the
  // data directory (mode 0600) is made and used, and the log says to configure one.
  const box = new SecretBox(await masterKeysFromEnv(process.env, config.dataDir));
  if (!process.env.DOCBRIDGE_MASTER_KEY && !process.env.DOCBRIDGE_MASTER_KEYS && !config.localMode) {
    logger.warn(
      'no DOCBRIDGE_MASTER_KEY set: connector secrets are sealed with a key file in the data directory',
    );
  }
  const stores = createAdminStores(storage.sql, box);
  const connectors = new ConnectorRegistry(stores.credentials);
  const publicUrl = config.DOCBRIDGE_PUBLIC_URL;
  const timing = { ...defaultTiming, activeWindowMs: config.DOCBRIDGE_ACTIVE_WINDOW_MS };
  const statuses = new LinkStatusBroadcast(
    hocuspocus,
    stores.links,
    (doc) => links.statesOf(doc),
    (error) => logger.warn({ err: errorSummary(error) }, 'could not push link statuses'),
  );
  const links: LinkSupervisor = new LinkSupervisor({
    store: new AdminLinkStore(storage, box),
    // A link keeps its document open while it is polled; twice the quiet poll interval after its last step
    // (the link went idle: nobody edits, nobody has it open), it lets go.
    live: new HocuspocusLiveDocuments(hocuspocus, timing.quietPollMs * 2),
    connectors: (link) => connectors.get(link.tenant, link.credentialId),
    warn: (message, error, details) =>
      logger.warn({ ...details, ...(error === null ? {} : { err: errorSummary(error) }) }, message),
    onState: (link) => statuses.changed(link.tenant, link.doc),
    timing,
    changeFeed: {
      intervalMs: config.DOCBRIDGE_CHANGE_FEED_INTERVAL_MS,
      // Remotes only post notifications to HTTPS addresses.
      webhookAddress: (provider) => {
        const path = suiteFor(provider)?.webhook?.path;
        return path && publicUrl?.startsWith('https://') ? `${publicUrl.replace(/\/$/, '')}${path}` : null;
      },
    },
  });
  hocuspocus.configure({
    extensions: [
      new Authentication(verify),
      durability,
      metrics.extension,
      new LinkWakeups(links),
      ...(redis ? [redis] : []),
    ],
  });

  const httpServer = createServer();
  const origins = createOriginPolicy(config.DOCBRIDGE_ALLOWED_ORIGINS);
  const signInCode = localSecret ? createSignInCode() : null;
  const app = createHttpApp({
    storage,
    registry: metrics.registry,
    origins,
    session: { verify, local: localSecret && signInCode ? { secret: localSecret, signInCode } : null },
    clientDist: fileURLToPath(new URL('../client/dist', import.meta.url)),
    logger,
    admin: { stores, links, connectors, hocuspocus, statuses },
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
  origins.addOwn([url, `http://localhost:${port}`, `http://127.0.0.1:${port}`]);

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
        sockets.close();
        hocuspocus.closeConnections();
        hocuspocus.flushPendingStores();
        await durability.flush();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        httpServer.closeAllConnections();
        await redis?.onDestroy();
        await storage.close();
      })();
      return closing;
    },
  };
}
