import { randomUUID } from 'node:crypto';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { waitFor } from '../helpers/clients.ts';
import { openRawSession, tokenFrame } from '../helpers/rawSession.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

// Finding 2 (2026-12): a socket kept editing after its token expired.
/** Short-lived tokens, yet long enough to authenticate on a busy machine. */
const SHORT = 8;
let server: ServerProcess;
/** Resolves a little after the epoch-seconds `exp` of a token minted now with `expiresIn` seconds. */
const pastExpiry = (mintedAt: number, expiresIn: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, mintedAt + expiresIn * 1000 + 2000 - Date.now())));
const doc = () => `dept-a/expiry-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  server = await startServerProcess({ DOCBRIDGE_DATA_DIR: tempDataDir(), DOCBRIDGE_JWT_SECRET: TEST_SECRET });
});
afterAll(() => server.stop());

describe('finding 2: a token holds for its lifetime only', () => {
  it('closes an open socket at its token exp with token-expired', async () => {
    const name = doc();
    const session = await openRawSession(
      server.wsUrl,
      name,
      await portalToken({ docs: { [name]: 'edit' } }, { expiresIn: SHORT }),
    );
    expect(session.open()).toBe(true);
    expect(await session.closed).toEqual({ code: 4401, reason: 'token-expired' });
    // The server asked for a fresh token before closing (Hocuspocus token sync); none came.
    expect(session.tokenRequests()).toBeGreaterThan(0);
  });

  it('closes a y-websocket socket at its token exp too', async () => {
    const name = doc();
    const token = await portalToken({ docs: { [name]: 'edit' } }, { expiresIn: SHORT });
    const ws = new WebSocket(`${server.wsUrl}/yjs/${name}?token=${token}`);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
    );
    expect(closed).toEqual({ code: 4401, reason: 'token-expired' });
  });

  it('keeps a provider connected past exp when its token function hands the server a fresh token', async () => {
    const name = doc();
    let minted = 0;
    const firstMintedAt = Date.now();
    const token = async () =>
      portalToken({ docs: { [name]: 'edit' } }, { expiresIn: minted++ === 0 ? SHORT : 600 });
    const socket = new HocuspocusProviderWebsocket({
      url: `${server.wsUrl}/collab`,
      WebSocketPolyfill: WebSocket,
      maxAttempts: 1,
    });
    const closes: string[] = [];
    socket.on('close', ({ event }: { event: { reason: string } }) => closes.push(event.reason));
    const ydoc = new Y.Doc();
    const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: ydoc, token });
    provider.attach();
    try {
      await waitFor(() => provider.isSynced, 'the first sync');
      await waitFor(() => minted >= 2, 'the server to ask for a fresh token', 30_000);
      await pastExpiry(firstMintedAt, SHORT);
      expect(closes).toEqual([]);
      ydoc.getText('t').insert(0, 'still editing');
      await waitFor(() => !provider.hasUnsyncedChanges, 'the edit to be acknowledged');
    } finally {
      provider.destroy();
      socket.destroy();
    }
  });

  it('keeps a socket whose client sent a fresh token on its own (the embed’s element.token = ...)', async () => {
    const name = doc();
    const mintedAt = Date.now();
    const session = await openRawSession(
      server.wsUrl,
      name,
      await portalToken({ docs: { [name]: 'edit' } }, { expiresIn: SHORT }),
    );
    session.ws.send(tokenFrame(name, await portalToken({ docs: { [name]: 'edit' } }, { expiresIn: 600 })));
    await pastExpiry(mintedAt, SHORT);
    expect(session.open()).toBe(true);
    session.ws.close();
  });

  it('refuses a fresh token of another user on an open connection, and closes it', async () => {
    const name = doc();
    const session = await openRawSession(
      server.wsUrl,
      name,
      await portalToken({ docs: { [name]: 'edit' } }, { expiresIn: 600 }),
    );
    session.ws.send(tokenFrame(name, await portalToken({ sub: 'someone-else', docs: { [name]: 'edit' } })));
    expect(await session.closed).toEqual({ code: 4401, reason: 'token-user-changed' });
  });
});
