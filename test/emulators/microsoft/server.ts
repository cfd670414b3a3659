import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createTestCa } from '../../helpers/testCa.ts';
import { authorizeRoutes } from './authorizationCode.ts';
import { controlRoutes } from './controlRoutes.ts';
import { driveRoutes } from './driveRoutes.ts';
import { EntraTokens } from './entraTokens.ts';
import { GraphFaults } from './faults.ts';
import { graphError } from './graphErrors.ts';
import { GraphState } from './graphState.ts';
import { loginRoutes } from './loginRoutes.ts';
import { Storage } from './storage.ts';
import { Subscriptions } from './subscriptions.ts';

export interface GraphEmulatorOptions {
  port?: number;
  /** Delay before a change notification goes out (Graph: about a minute on average). */
  notificationLagMs?: number;
  /** CA the emulator trusts when posting notifications to HTTPS receivers. */
  webhookCa?: string;
}

export interface GraphEmulator {
  /** Graph's root (`endpoints.graph`): the API is under `/v1.0`. */
  graphUrl: string;
  /** The authority host (`endpoints.login`): `/{tenant}/oauth2/v2.0/token` and the OpenID configuration. */
  loginUrl: string;
  /** The storage host of download and upload URLs (another origin). */
  storageUrl: string;
  /** The throwaway CA that signed the emulator's certificate: trust it with NODE_EXTRA_CA_CERTS or `ca`. */
  caPath: string;
  caPem: string;
  state: GraphState;
  faults: GraphFaults;
  close(): Promise<void>;
}

/**
 * Starts the Microsoft Graph emulator: real HTTPS servers (Graph and the login authority on one port, the
 * storage host on another) with a certificate from a CA generated for this run, following
 * ../shared/reference/remote-apis.md sections D-F. The real `@azure/identity` and
 * `@microsoft/microsoft-graph-client` talk to it. In-process from tests, or its own process with
 * `npm run emulator:microsoft -- --port N`.
 */
export async function startGraphEmulator(options: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  const ca = createTestCa();
  const state = new GraphState();
  const entra = new EntraTokens();
  const faults = new GraphFaults();
  let graphUrl = '';
  const storage = new Storage(state, faults, () => graphUrl);
  const subscriptions = new Subscriptions(state, faults, {
    lagMs: options.notificationLagMs ?? 60_000,
    ca: options.webhookCa,
  });

  const app = new Hono();
  app.route(
    '/',
    loginRoutes(state, entra, () => graphUrl),
  );
  app.route('/', authorizeRoutes(state));
  app.route(
    '/',
    driveRoutes(state, faults, storage, () => graphUrl),
  );
  app.route('/', subscriptions.routes());
  app.route(
    '/',
    controlRoutes(state, faults, subscriptions, entra, () => graphUrl),
  );
  app.notFound((c) =>
    graphError(
      c,
      400,
      'BadRequest',
      `Resource not found for the segment '${new URL(c.req.url).pathname.split('/').pop()}'.`,
    ),
  );

  const storageApp = storage.routes();
  storageApp.notFound((c) => graphError(c, 404, 'itemNotFound', 'The resource could not be found.'));

  const tls = { key: ca.key, cert: ca.cert };
  const graphServer = createServer(tls, getRequestListener(app.fetch));
  const storageServer = createServer(tls, getRequestListener(storageApp.fetch));
  const listen = async (server: Server, port: number) => {
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  graphUrl = await listen(graphServer, options.port ?? 0);
  storage.url = await listen(storageServer, 0);
  const close = (server: Server) =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    graphUrl,
    loginUrl: graphUrl,
    storageUrl: storage.url,
    caPath: ca.caPath,
    caPem: ca.caPem,
    state,
    faults,
    close: async () => {
      subscriptions.close();
      await Promise.all([close(graphServer), close(storageServer)]);
      ca.dispose();
    },
  };
}
