import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const DOC = 'dept-a/fragile';
const LIMIT = 64 * 1024;
let server: ServerProcess;
let witness: TestClient;
let token: string;

const frame = (write: (e: encoding.Encoder) => void) => {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, DOC);
  write(encoder);
  return encoding.toUint8Array(encoder);
};
const authFrame = () =>
  frame((e) => {
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, token);
  });
const updateFrame = (update: Uint8Array) =>
  frame((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint8Array(e, update);
  });

/** Opens a raw socket, authenticates for DOC, sends `payload`, and reports how the server closed it. */
async function sendRaw(
  payload: Uint8Array | string,
  authenticate = true,
): Promise<{ code: number; reason: string }> {
  const ws = new WebSocket(`${server.wsUrl}/collab`);
  await new Promise((resolve) => ws.once('open', resolve));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  );
  if (authenticate) {
    ws.send(authFrame());
    await new Promise((resolve) => ws.once('message', resolve));
  }
  ws.send(payload);
  return closed;
}

beforeAll(async () => {
  server = await startServerProcess({
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    DOCBRIDGE_MAX_MESSAGE_BYTES: String(LIMIT),
  });
  token = await portalToken({ docs: { [DOC]: 'edit' } });
  witness = connectClient(server.wsUrl, DOC, token);
  await witness.synced;
  witness.text.insert(0, 'intact');
  await witness.saved();
});

afterAll(async () => {
  witness.destroy();
  await server.stop();
});

describe('malformed and oversized messages', () => {
  it('closes a connection that sends bytes that are not a protocol frame', async () => {
    const result = await sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]), false);
    expect(result.code).toBe(4400);
    expect(result.reason).toMatch(/^malformed-message/);
  });

  it('closes a connection that sends a text frame', async () => {
    expect((await sendRaw('hello', false)).code).toBe(4400);
  });

  it('closes a connection whose Yjs update is corrupt, before it touches the document', async () => {
    const good = new Y.Doc();
    good.getText('t').insert(0, 'this would be a valid edit');
    const update = Y.encodeStateAsUpdate(good);
    const corrupt = update.slice(0, Math.floor(update.length / 2));
    const result = await sendRaw(updateFrame(corrupt));
    expect(result).toEqual({ code: 4400, reason: 'malformed-message: bad payload for type 0' });
  });

  it('refuses server-internal opcodes from clients', async () => {
    const result = await sendRaw(frame((e) => encoding.writeVarUint(e, 6)));
    expect(result.reason).toBe('malformed-message: type 6 is not accepted from clients');
  });

  it(`closes a connection that sends a frame over the documented limit (${LIMIT} bytes)`, async () => {
    const big = new Y.Doc();
    big.getText('t').insert(0, 'x'.repeat(LIMIT * 2));
    const result = await sendRaw(updateFrame(Y.encodeStateAsUpdate(big)));
    expect(result.code).toBe(1009);
  });

  it('leaves the document and the other clients unharmed', async () => {
    witness.text.insert(witness.text.length, ' and alive');
    await witness.saved();
    const fresh = connectClient(server.wsUrl, DOC, token);
    await fresh.synced;
    await waitFor(() => fresh.text.toString() === 'intact and alive', 'a fresh client to read the document');
    fresh.text.insert(0, '[seen] ');
    await waitFor(
      () => witness.text.toString() === '[seen] intact and alive',
      'the first client to still receive edits',
    );
    fresh.destroy();
  });
});
