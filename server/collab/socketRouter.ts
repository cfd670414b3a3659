import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';
import { gateAcks } from './ackGate.ts';
import { assertWellFormed, isPong, MalformedMessageError } from './messageGuard.ts';
import { createYWebsocketBridge } from './yWebsocketBridge.ts';

export interface SocketRouterOptions {
  hocuspocus: Hocuspocus;
  logger: Logger;
  maxMessageBytes: number;
  allowsOrigin: (origin: string | undefined) => boolean;
  whenDurable: (document: string) => Promise<void>;
}

/**
 * Routes WebSocket upgrades: `/collab` speaks the Hocuspocus protocol (many documents per socket),
 * `/yjs/<tenant>/<id>?token=` the plain y-websocket protocol. Both are checked for Origin before the
 * upgrade, have every frame validated before Hocuspocus sees it, and get their acks held until durable.
 * Frames over `maxMessageBytes` close the socket (1009) without being read.
 */
export function createSocketRouter(options: SocketRouterOptions) {
  const { hocuspocus, logger } = options;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });

  function attach(
    ws: WebSocket,
    request: IncomingMessage,
    socket: WebSocketLike,
    translate?: (f: Uint8Array) => Uint8Array,
  ) {
    const connection = hocuspocus.handleConnection(
      gateAcks(socket, options.whenDurable),
      toFetchRequest(request),
    );
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const received = toBytes(data);
      if (isPong(received)) return;
      try {
        if (!isBinary)
          throw new MalformedMessageError('malformed-message: text frames are not part of the protocol');
        const message = translate ? translate(received) : received;
        assertWellFormed(message);
        connection.handleMessage(message);
      } catch (error) {
        const reason = error instanceof MalformedMessageError ? error.reason : 'malformed-message';
        logger.warn({ reason }, 'closing a connection that sent a malformed message');
        ws.close(4400, reason);
      }
    });
    ws.on('close', (code: number, reason: Buffer) =>
      connection.handleClose({ code, reason: reason.toString() }),
    );
    ws.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'websocket error'));
    return connection;
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!options.allowsOrigin(request.headers.origin)) {
      refuse(socket, 403, 'origin-not-allowed');
      return;
    }
    if (url.pathname === '/collab') {
      wss.handleUpgrade(request, socket, head, (ws) => attach(ws, request, ws));
      return;
    }
    const yjs = /^\/yjs\/(.+)$/.exec(url.pathname);
    if (yjs) {
      const document = decodeURIComponent(yjs[1]!);
      const token = url.searchParams.get('token') ?? '';
      wss.handleUpgrade(request, socket, head, (ws) => {
        const bridge = createYWebsocketBridge(ws, document, token);
        const connection = attach(ws, request, bridge.socket, bridge.toHocuspocus);
        connection.handleMessage(bridge.authFrame);
      });
      return;
    }
    refuse(socket, 404, 'not-found');
  }

  return {
    handleUpgrade,
    close(): void {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`,
  );
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Hocuspocus reads headers and query parameters from a fetch `Request`. The URL keeps only the path: the
 * y-websocket token travels in the query string and must not linger in objects that hooks might log.
 */
function toFetchRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  return new Request(`http://${request.headers.host ?? 'localhost'}${path}`, { headers });
}
