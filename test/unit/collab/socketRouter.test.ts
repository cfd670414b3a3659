import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hocuspocus, type onConnectPayload } from '@hocuspocus/server';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createSocketRouter } from '../../../server/collab/socketRouter.ts';
import { createLogger } from '../../../server/logger.ts';
import { waitFor } from '../../helpers/clients.ts';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A router in front of a bare Hocuspocus whose only hook records what `onConnect` is handed. */
async function routerRecordingConnects(): Promise<{ port: number; connects: onConnectPayload[] }> {
  const connects: onConnectPayload[] = [];
  const hocuspocus = new Hocuspocus({
    quiet: true,
    extensions: [{ onConnect: async (payload: onConnectPayload) => void connects.push(payload) }],
  });
  const router = createSocketRouter({
    hocuspocus,
    logger: createLogger('silent'),
    maxMessageBytes: 1024 * 1024,
    allowsOrigin: () => true,
    whenDurable: async () => {},
  });
  const http: Server = createServer();
  http.on('upgrade', router.handleUpgrade);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () => new Promise<void>((resolve) => http.close(() => resolve())),
    () => router.close(),
  );
  return { port: (http.address() as AddressInfo).port, connects };
}

describe('the request Hocuspocus hands to hooks', () => {
  it('holds the upgrade path and headers, not the query string (the y-websocket token) or cookies', async () => {
    const { port, connects } = await routerRecordingConnects();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/yjs/dept-a/plans?token=secret-token&x=1`, {
      headers: { Cookie: 'docbridge_session=abc', 'X-Portal': 'intranet' },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    cleanups.push(() => ws.terminate());
    await waitFor(() => connects.length === 1, 'the y-websocket connection to reach onConnect');

    const [payload] = connects;
    expect(payload!.documentName).toBe('dept-a/plans');
    expect(payload!.request.url).toBe('/yjs/dept-a/plans');
    expect([...payload!.requestParameters.keys()]).toEqual([]);
    expect(payload!.requestHeaders.get('x-portal')).toBe('intranet');
    expect(payload!.requestHeaders.get('cookie')).toBeNull();
  });
});
