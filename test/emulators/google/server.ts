import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { controlRoutes } from './controlRoutes.ts';
import { docsRoutes } from './docsRoutes.ts';
import { driveRoutes } from './driveRoutes.ts';
import { EmulatorState } from './emulatorState.ts';
import { FaultQueue } from './faults.ts';
import { googleError } from './googleErrors.ts';
import { tokenEndpoint } from './tokenEndpoint.ts';
import { WatchChannels } from './watchChannels.ts';

export interface GoogleEmulatorOptions {
  port?: number;
  host?: string;
  /** Interval between batched Drive change notifications (Drive: minutes; tests: shorter). */
  notifyBatchMs?: number;
  /** CA the emulator trusts for HTTPS webhook deliveries. */
  webhookCa?: string;
}

export interface GoogleEmulator {
  url: string;
  /** The token endpoint URL credentials must use as `aud` and `token_uri`. */
  tokenUrl: string;
  state: EmulatorState;
  faults: FaultQueue;
  close(): Promise<void>;
}

/**
 * Starts the Google Docs / Drive / OAuth emulator: a real HTTP server that the real Google API clients (`@googleapis/docs`, `@googleapis/drive`)
 * talks to (point `rootUrl` at `url`), following ../shared/reference/remote-apis.md. Use it in-process from
 * tests, or as its own process with `npm run emulator:google -- --port N`.
 */
export async function startGoogleEmulator(options: GoogleEmulatorOptions = {}): Promise<GoogleEmulator> {
  const state = new EmulatorState();
  const faults = new FaultQueue();
  const channels = new WatchChannels(state, {
    batchMs: options.notifyBatchMs ?? 180_000,
    ca: options.webhookCa,
  });
  let baseUrl = '';
  const app = new Hono();
  app.route(
    '/',
    tokenEndpoint(state, () => `${baseUrl}/token`),
  );
  app.route('/', docsRoutes(state, faults));
  app.route('/', driveRoutes(state, faults, channels));
  app.route('/', controlRoutes(state, faults, channels));
  app.notFound((c) =>
    googleError(c, 404, 'NOT_FOUND', `The requested URL ${new URL(c.req.url).pathname} was not found.`),
  );
  // Notify watch channels of every change, whichever route made it.
  const touch = state.touch.bind(state);
  state.touch = (file) => {
    touch(file);
    channels.changed(file.id);
  };

  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url: baseUrl,
    tokenUrl: `${baseUrl}/token`,
    state,
    faults,
    close: async () => {
      channels.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
