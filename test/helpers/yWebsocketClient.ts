import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** A standard y-websocket client (`WebsocketProvider`) on `<wsUrl>/yjs/<document>?token=`. */
export interface YWebsocketClient {
  doc: Y.Doc;
  /** The `Y.Text` named `t` that test documents use. */
  text: Y.Text;
  /** Resolves after the first full sync with the server. */
  synced: Promise<void>;
  destroy(): void;
}

/**
 * Connects `y-websocket`'s own provider, the way a third-party Yjs application reaches Docbridge, so tests
 * exercise the second protocol end to end (the Hocuspocus one is `connectClient`).
 */
export function connectYWebsocket(wsUrl: string, document: string, token: string): YWebsocketClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${wsUrl}/yjs`, document, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
  });
  const synced = new Promise<void>((resolve) => {
    const onSync = (isSynced: boolean) => {
      if (!isSynced) return;
      provider.off('sync', onSync);
      resolve();
    };
    provider.on('sync', onSync);
  });
  return {
    doc,
    text: doc.getText('t'),
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}
