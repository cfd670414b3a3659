import type { WebSocketLike } from '@hocuspocus/server';
import { documentOf, frameType, MessageType, readHeader } from './protocol.ts';

const OPEN = 1;

/**
 * Wraps the socket Hocuspocus writes to so that its acknowledgement of an update (the SyncStatus message, which
 * the provider turns into "saved") is sent only once that update is durable. Hocuspocus sends the ack right
 * after applying the update in memory (MessageReceiver.readSyncMessage); everything else passes straight
 * through, so fan-out to other clients never waits for the disk.
 */
export function gateAcks(
  socket: WebSocketLike,
  whenDurable: (document: string) => Promise<void>,
): WebSocketLike {
  return {
    get readyState() {
      return socket.readyState;
    },
    close: (code?: number, reason?: string) => socket.close(code, reason),
    send(data: Parameters<WebSocketLike['send']>[0]) {
      if (!(data instanceof Uint8Array) || frameType(data) !== MessageType.SyncStatus) {
        socket.send(data);
        return;
      }
      whenDurable(documentOf(readHeader(data).address)).then(() => {
        if (socket.readyState === OPEN) socket.send(data);
      });
    },
  };
}
