import { randomUUID } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { hocuspocusFrame, openRawSession } from '../helpers/rawSession.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

// Finding 6 (2026-12): a read-only user could forge other people's carets.
const LIMIT = 2048;
let server: ServerProcess;
const clients: TestClient[] = [];

beforeAll(async () => {
  server = await startServerProcess({
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    DOCBRIDGE_MAX_AWARENESS_BYTES: String(LIMIT),
  });
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  await server.stop();
});

/** An awareness frame for `doc` setting each `[clientId, clock, state]`. */
const awarenessFrame = (doc: string, entries: [number, number, unknown][]) =>
  hocuspocusFrame(doc, (e) => {
    encoding.writeVarUint(e, 1);
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, entries.length);
    for (const [id, clock, state] of entries) {
      encoding.writeVarUint(inner, id);
      encoding.writeVarUint(inner, clock);
      encoding.writeVarString(inner, JSON.stringify(state));
    }
    encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  });

async function editorsOn(doc: string): Promise<[TestClient, TestClient]> {
  const token = await portalToken({ docs: { [doc]: 'edit' } });
  const alice = connectClient(server.wsUrl, doc, token);
  const witness = connectClient(
    server.wsUrl,
    doc,
    await portalToken({ sub: 'user-w', docs: { [doc]: 'edit' } }),
  );
  clients.push(alice, witness);
  await Promise.all([alice.synced, witness.synced]);
  alice.provider.setAwarenessField('user', { name: 'Alice', color: '#0a0' });
  const aliceId = alice.doc.clientID;
  await waitFor(
    () => witness.provider.awareness?.getStates().get(aliceId)?.user?.name === 'Alice',
    'the witness to see Alice',
  );
  return [alice, witness];
}

describe('finding 6: awareness only for the sender’s own client id', () => {
  it('a read-only connection cannot move or rename another user’s caret', async () => {
    const doc = `dept-a/carets-${randomUUID().slice(0, 8)}`;
    const [alice, witness] = await editorsOn(doc);
    const reader = await openRawSession(
      server.wsUrl,
      doc,
      await portalToken({ sub: 'reader', docs: { [doc]: 'read' } }),
    );
    const readerId = 424242;
    reader.ws.send(
      awarenessFrame(doc, [
        [readerId, 1, { user: { name: 'Reader', color: '#00f' }, cursor: null, banner: 'fake notice' }],
        [alice.doc.clientID, 1000, { user: { name: 'Forged', color: '#f00' } }],
      ]),
    );
    await waitFor(
      () => witness.provider.awareness?.getStates().get(readerId)?.user?.name === 'Reader',
      'the reader’s own caret to arrive',
    );
    const seen = witness.provider.awareness!.getStates();
    expect(seen.get(alice.doc.clientID)?.user?.name).toBe('Alice');
    // Beyond its own caret (user and cursor), a read-only connection sets nothing.
    expect(seen.get(readerId)).not.toHaveProperty('banner');
  });

  it('an editor cannot set another client’s state either, and an oversized state closes its connection', async () => {
    const doc = `dept-a/carets-${randomUUID().slice(0, 8)}`;
    const [alice, witness] = await editorsOn(doc);
    const mallory = await openRawSession(
      server.wsUrl,
      doc,
      await portalToken({ sub: 'mallory', docs: { [doc]: 'edit' } }),
    );
    mallory.ws.send(
      awarenessFrame(doc, [
        [777, 1, { user: { name: 'Mallory' } }],
        [alice.doc.clientID, 1000, { user: { name: 'Forged' } }],
      ]),
    );
    await waitFor(
      () => witness.provider.awareness?.getStates().get(777)?.user?.name === 'Mallory',
      'Mallory’s own state to arrive',
    );
    expect(witness.provider.awareness!.getStates().get(alice.doc.clientID)?.user?.name).toBe('Alice');

    mallory.ws.send(awarenessFrame(doc, [[777, 2, { user: { name: 'x'.repeat(LIMIT) } }]]));
    await waitFor(() => mallory.closeMessages().length > 0, 'the oversized awareness to be refused');
    expect(mallory.closeMessages()).toEqual(['awareness-too-large']);
    expect(witness.provider.awareness!.getStates().get(777)?.user?.name).not.toBe('x'.repeat(LIMIT));
  });

  it('keeps honest presence working: a y-websocket client (which echoes others’ states) and a provider see each other', async () => {
    const doc = `dept-a/carets-${randomUUID().slice(0, 8)}`;
    const [alice, witness] = await editorsOn(doc);
    const yDoc = new Y.Doc();
    const y = new WebsocketProvider(`${server.wsUrl}/yjs`, doc, yDoc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: await portalToken({ sub: 'user-y', docs: { [doc]: 'read' } }) },
    });
    try {
      y.awareness.setLocalStateField('user', { name: 'Yuri', color: '#999' });
      await waitFor(
        () => witness.provider.awareness?.getStates().get(yDoc.clientID)?.user?.name === 'Yuri',
        'the witness to see the y-websocket reader',
      );
      await waitFor(
        () => y.awareness.getStates().get(alice.doc.clientID)?.user?.name === 'Alice',
        'the y-websocket reader to see Alice',
      );
      // Alice moves; her new state reaches the reader, and the reader's echo of it changes nothing.
      alice.provider.setAwarenessField('user', { name: 'Alice B.', color: '#0a0' });
      await waitFor(
        () => y.awareness.getStates().get(alice.doc.clientID)?.user?.name === 'Alice B.',
        'the reader to see Alice’s new name',
      );
      expect(witness.provider.awareness!.getStates().get(yDoc.clientID)?.user?.name).toBe('Yuri');
    } finally {
      y.destroy();
    }
  });
});
