import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import WebSocket from 'ws';
import * as Y from 'yjs';

/** A Hocuspocus client on its own socket, with what tests need to observe. */
export interface TestClient {
  provider: HocuspocusProvider;
  doc: Y.Doc;
  text: Y.Text;
  /** Resolves once the first sync completed (rejects on a refused authentication). */
  synced: Promise<void>;
  /** Resolves when no edit is waiting for the server's durable acknowledgement. */
  saved(): Promise<void>;
  destroy(): void;
}

/**
 * Connects a `HocuspocusProvider` to `<wsUrl>/collab` for `document` with `token`. Test documents use a
 * `Y.Text` named `t`, which is enough to pin transport and durability (the schema lives in connectors/model).
 */
export function connectClient(wsUrl: string, document: string, token: string): TestClient {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: `${wsUrl}/collab`,
    WebSocketPolyfill: WebSocket,
    maxAttempts: 1,
  });
  let onSynced = () => {};
  let onFailed = (_reason: string) => {};
  const synced = new Promise<void>((resolve, reject) => {
    onSynced = resolve;
    onFailed = (reason) => reject(new Error(reason));
  });
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: document,
    document: doc,
    token,
    onSynced: () => onSynced(),
    onAuthenticationFailed: ({ reason }) => onFailed(reason),
  });
  provider.attach();
  return {
    provider,
    doc,
    text: doc.getText('t'),
    synced,
    saved: () =>
      new Promise<void>((resolve) => {
        if (!provider.hasUnsyncedChanges) return resolve();
        const check = () => {
          if (!provider.hasUnsyncedChanges) {
            provider.off('unsyncedChanges', check);
            resolve();
          }
        };
        provider.on('unsyncedChanges', check);
      }),
    destroy() {
      provider.destroy();
      socket.destroy();
    },
  };
}

/** Polls `predicate` (sync or async) until true; rejects with `what` after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
