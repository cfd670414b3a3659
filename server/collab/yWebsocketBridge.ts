import type { WebSocketLike } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { AuthType, frame, MessageType, readHeader } from './protocol.ts';

/**
 * Lets a standard `y-websocket` client (one document per socket, no address prefix, token in `?token=`) join
 * the same Hocuspocus documents. Frames from the client get the document address prepended; Hocuspocus'
 * answers lose it, and messages y-websocket has no notion of (auth results, sync status, stateless) are
 * consumed here. A refused authentication closes the socket with the refusal as its reason.
 */
export function createYWebsocketBridge(socket: WebSocketLike, document: string, token: string) {
  const outgoing: WebSocketLike = {
    get readyState() {
      return socket.readyState;
    },
    close: (code?: number, reason?: string) => socket.close(code, reason),
    send(data: Parameters<WebSocketLike['send']>[0]) {
      if (!(data instanceof Uint8Array)) return;
      const { type, decoder } = readHeader(data);
      const rest = decoding.readTailAsUint8Array(decoder);
      switch (type) {
        case MessageType.Sync:
        case MessageType.SyncReply:
          socket.send(withType(MessageType.Sync, rest));
          return;
        case MessageType.Awareness:
        case MessageType.QueryAwareness:
          socket.send(withType(type, rest));
          return;
        case MessageType.Auth: {
          const authDecoder = decoding.createDecoder(rest);
          if (decoding.readVarUint(authDecoder) === AuthType.PermissionDenied) {
            socket.close(4403, decoding.readVarString(authDecoder));
          }
          return;
        }
        case MessageType.Close:
          socket.close(1000, decoding.readVarString(decoding.createDecoder(rest)));
          return;
        default:
          return;
      }
    },
  };

  return {
    /** The socket to hand to Hocuspocus. */
    socket: outgoing,
    /** The first frame Hocuspocus expects: authentication with the token from the URL. */
    authFrame: frame(document, (encoder) => {
      encoding.writeVarUint(encoder, MessageType.Auth);
      encoding.writeVarUint(encoder, AuthType.Token);
      encoding.writeVarString(encoder, token);
    }),
    /** A client frame, addressed for Hocuspocus. */
    toHocuspocus: (clientFrame: Uint8Array) =>
      frame(document, (encoder) => encoding.writeUint8Array(encoder, clientFrame)),
  };
}

function withType(type: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  encoding.writeUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}
