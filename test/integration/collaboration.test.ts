import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

let server: ServerProcess;
const clients: TestClient[] = [];
const connect = (doc: string, token: string) => {
  const client = connectClient(server.wsUrl, doc, token);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  server = await startServerProcess({
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    HOST: '127.0.0.1',
  });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
});

describe('collaboration over both protocols', () => {
  it('two Hocuspocus clients and a y-websocket client converge on one document', async () => {
    const token = await portalToken({ docs: { 'dept-a/converge': 'edit' } });
    const a = connect('dept-a/converge', token);
    const b = connect('dept-a/converge', token);
    await Promise.all([a.synced, b.synced]);

    const yDoc = new Y.Doc();
    const y = new WebsocketProvider(`${server.wsUrl}/yjs`, 'dept-a/converge', yDoc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token },
    });
    await new Promise<void>((resolve) => y.once('sync', (synced: boolean) => synced && resolve()));

    a.text.insert(0, 'from A. ');
    b.text.insert(0, 'from B. ');
    yDoc.getText('t').insert(0, 'from y-websocket. ');

    const all = [a.text, b.text, yDoc.getText('t')];
    await waitFor(
      () =>
        all.every((t) => ['from A.', 'from B.', 'from y-websocket.'].every((s) => t.toString().includes(s))),
      'all three edits on all three clients',
    );
    expect(new Set(all.map((t) => t.toString())).size).toBe(1);
    y.destroy();
  });

  it('a read-only client sees edits, but its own edits reach neither the server nor other clients', async () => {
    const doc = 'dept-a/readonly';
    const editor = connect(doc, await portalToken({ docs: { [doc]: 'edit' } }));
    const reader = connect(doc, await portalToken({ sub: 'reader', docs: { 'dept-a/*': 'read' } }));
    const commenter = connect(doc, await portalToken({ sub: 'commenter', docs: { [doc]: 'comment' } }));
    await Promise.all([editor.synced, reader.synced, commenter.synced]);

    editor.text.insert(0, 'official text');
    await waitFor(() => reader.text.toString() === 'official text', 'the reader to receive the edit');
    reader.text.insert(0, 'VANDAL ');
    commenter.text.insert(0, 'SCRIBBLE ');
    editor.text.insert(editor.text.length, '.');
    await editor.saved();
    await waitFor(() => reader.text.toString().endsWith('.'), 'the reader to receive the later edit');

    // A fresh client reads what the server holds.
    const fresh = connect(doc, await portalToken({ docs: { [doc]: 'edit' } }));
    await fresh.synced;
    expect(fresh.text.toString()).toBe('official text.');
    expect(editor.text.toString()).toBe('official text.');
  });
});

describe('refusals', () => {
  const refusalOf = async (token: string, doc = 'dept-a/secure') => {
    const client = connect(doc, token);
    return client.synced.then(
      () => 'accepted',
      (error: Error) => error.message,
    );
  };

  it('refuses a token signed with another secret', async () => {
    const token = await portalToken(
      { docs: { 'dept-a/*': 'edit' } },
      { secret: 'another-secret-of-sufficient-length-000000000' },
    );
    expect(await refusalOf(token)).toBe('bad-signature');
  });

  it('refuses an unsecured (alg none) token', async () => {
    const { unsignedToken } = await import('../helpers/tokens.ts');
    expect(await refusalOf(unsignedToken({ sub: 'x', tenant: 'dept-a', docs: { 'dept-a/*': 'edit' } }))).toBe(
      'algorithm-not-allowed',
    );
  });

  it('refuses an expired token', async () => {
    expect(await refusalOf(await portalToken({ docs: { 'dept-a/*': 'edit' } }, { expiresIn: -60 }))).toBe(
      'token-expired',
    );
  });

  it('refuses a document that is not granted, and another tenant’s document', async () => {
    const token = await portalToken({ docs: { 'dept-a/other': 'edit' } });
    expect(await refusalOf(token)).toBe('document-not-granted');
    const greedy = await portalToken({ docs: { 'dept-b/*': 'edit' } });
    expect(await refusalOf(greedy, 'dept-b/plans')).toBe('document-not-granted');
  });

  it('refuses a y-websocket client without a valid token with a close reason', async () => {
    const ws = new WebSocket(`${server.wsUrl}/yjs/dept-a/secure?token=nonsense`);
    const [code, reason] = await new Promise<[number, string]>((resolve) =>
      ws.on('close', (c: number, r: Buffer) => resolve([c, r.toString()])),
    );
    expect(code).toBe(4403);
    expect(reason).toBe('token-malformed');
  });

  it('refuses a WebSocket upgrade from a disallowed Origin, and accepts the server’s own', async () => {
    const status = (origin: string) =>
      new Promise<number | 'open'>((resolve) => {
        const ws = new WebSocket(`${server.wsUrl}/collab`, { headers: { Origin: origin } });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
      });
    expect(await status('https://evil.example')).toBe(403);
    expect(await status(`http://127.0.0.1:${server.port}`)).toBe('open');
  });

  it('refuses API calls from a disallowed Origin', async () => {
    const res = await fetch(`${server.url}/api/session`, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'origin-not-allowed' });
  });
});
