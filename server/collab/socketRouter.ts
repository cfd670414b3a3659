import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hocuspocus, WebSocketLike } from '@hocuspocus/server';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../logger.ts';
import { gateAcks } from './ackGate.ts';
import { errorSummary } from './durability.ts';
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
      hookRequest(request),
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
        if (error instanceof MalformedMessageError) {
          logger.warn({ reason: error.reason }, 'closing a connection that sent a malformed message');
          ws.close(4400, error.reason);
        } else {
          logger.error({ err: errorSummary(error) }, 'handling a message failed');
          ws.close(1011, 'internal-error');
        }
      }
    });
    ws.on('close', (code: number, reason: Buffer) => {
      try {
        connection.handleClose({ code, reason: reason.toString() });
      } catch (error) {
        logger.error({ err: errorSummary(error) }, 'closing a connection failed');
      }
    });
    ws.on('error', (error: Error) => logger.warn({ err: { message: error.message } }, 'websocket error'));
    return connection;
  }

  /**
   * One upgrade request: whatever it holds (a target that is not a path, bad percent-encoding, a Host header
   * no URL accepts), it is answered on its own socket and never reaches the process. A failure after the
   * handshake closes that one WebSocket (1011).
   */
  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error: Error) =>
      logger.debug({ err: { message: error.message } }, 'upgrade socket error'),
    );
    try {
      route(request, socket, head);
    } catch (error) {
      logger.error({ err: errorSummary(error) }, 'upgrade failed');
      if (socket.writable) refuse(socket, 500, 'internal-error');
      else socket.destroy();
    }
  }

  function route(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = requestTarget(request.url);
    if (!url) {
      refuse(socket, 400, 'bad-request-target');
      return;
    }
    if (!options.allowsOrigin(request.headers.origin)) {
      refuse(socket, 403, 'origin-not-allowed');
      return;
    }
    if (url.pathname === '/collab') {
      wss.handleUpgrade(request, socket, head, (ws) => guarded(ws, () => attach(ws, request, ws)));
      return;
    }
    const yjs = /^\/yjs\/(.+)$/.exec(url.pathname);
    if (yjs) {
      const document = decodePath(yjs[1]!);
      if (document === null) {
        refuse(socket, 400, 'bad-document-name');
        return;
      }
      const token = url.searchParams.get('token') ?? '';
      wss.handleUpgrade(request, socket, head, (ws) =>
        guarded(ws, () => {
          const bridge = createYWebsocketBridge(ws, document, token);
          const connection = attach(ws, request, bridge.socket, bridge.toHocuspocus);
          connection.handleMessage(bridge.authFrame);
        }),
      );
      return;
    }
    refuse(socket, 404, 'not-found');
  }

  /** Runs a WebSocket's set-up; a throw closes that socket (1011) instead of escaping the upgrade. */
  function guarded(ws: WebSocket, setUp: () => void): void {
    try {
      setUp();
    } catch (error) {
      logger.error({ err: errorSummary(error) }, 'websocket set-up failed');
      ws.close(1011, 'internal-error');
    }
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

/**
 * The URL of a request target, or null when it is not an origin-form path (`//`, `*`, absolute URLs and
 * anything WHATWG URL refuses). Parsed against a fixed base: the Host header is never part of it.
 */
export function requestTarget(target: string | undefined): URL | null {
  if (!target?.startsWith('/') || target.startsWith('//')) return null;
  try {
    return new URL(`http://localhost${target}`);
  } catch {
    return null;
  }
}

/** Percent-decodes a path segment, or null when it is not valid UTF-8 percent-encoding. */
function decodePath(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The request Hocuspocus hands to hooks. It reads two things of it, `headers` and `url` (for query parameters),
 * and reads them for every message and every update, not once per connection. A fetch `Request` recomputes
 * both on each read (a brand check, URL serialisation, then a `new URL` in Hocuspocus' `getParameters`),
 * which showed in CPU profiles under load; a plain object with a path-only URL costs a property read and
 * an empty `URLSearchParams`. No hook of ours reads more of it. The URL keeps only the path: the
 * y-websocket token travels in the query string and must not linger in objects that hooks might log.
 */
function hookRequest(request: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // The Host header is the client's word (it may not even be a valid host): it stays a header, never the URL.
  const hookView: Pick<Request, 'url' | 'headers'> = {
    url: requestTarget(request.url)?.pathname ?? '/',
    headers,
  };
  return hookView as Request;
}
