import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';

/** One frame of the Hocuspocus protocol: the document address, then what `write` adds. */
export function hocuspocusFrame(doc: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, doc);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** The Auth frame carrying `token` for `doc` (what a provider sends first, and on token sync). */
export function tokenFrame(doc: string, token: string): Uint8Array {
  return hocuspocusFrame(doc, (e) => {
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, token);
  });
}

/** A raw `/collab` socket authenticated for one document, for tests that watch the wire. */
export interface RawSession {
  ws: WebSocket;
  /** How the server closed the socket. */
  closed: Promise<{ code: number; reason: string }>;
  /** Whether the socket is still open. */
  open(): boolean;
  /** Counts the server's token sync requests (Auth frames of type Token) received so far. */
  tokenRequests(): number;
  /** Reasons of Hocuspocus Close messages received (a document connection ended, the socket stays). */
  closeMessages(): string[];
  /** Opens one more document on the same socket; rejects with the permission-denied reason. */
  authenticate(doc: string, token: string): Promise<void>;
}

/**
 * Opens `/collab`, sends the Auth frame for `doc` with `token`, and resolves once the server answered it:
 * with the session when authenticated, or rejects with the permission-denied reason.
 */
export async function openRawSession(wsUrl: string, doc: string, token: string): Promise<RawSession> {
  const ws = new WebSocket(`${wsUrl}/collab`);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  );
  let requests = 0;
  const closes: string[] = [];
  const waiting = new Map<string, (error: Error | null) => void>();
  const answer = (address: string, error: Error | null) => {
    waiting.get(address)?.(error);
    waiting.delete(address);
  };
  ws.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const address = decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === 7) closes.push(decoding.readVarString(decoder));
    if (type !== 2) return;
    const auth = decoding.readVarUint(decoder);
    if (auth === 0) requests += 1;
    else if (auth === 1) answer(address, new Error(decoding.readVarString(decoder)));
    else if (auth === 2) answer(address, null);
  });
  void closed.then(({ reason }) => {
    for (const address of [...waiting.keys()]) answer(address, new Error(`closed: ${reason}`));
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const authenticate = (name: string, credential: string) =>
    new Promise<void>((resolve, reject) => {
      waiting.set(name, (error) => (error ? reject(error) : resolve()));
      ws.send(tokenFrame(name, credential));
    });
  await authenticate(doc, token);
  return {
    ws,
    closed,
    open: () => ws.readyState === WebSocket.OPEN,
    tokenRequests: () => requests,
    closeMessages: () => closes,
    authenticate,
  };
}
