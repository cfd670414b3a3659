import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { describeSync, type SyncInputs, type SyncStatus } from './syncStatus.ts';

export interface ConnectionOptions {
  /** `<tenant>/<id>`. */
  documentName: string;
  /** Called at every (re)connection: the token travels in the first protocol message, never in the URL. */
  token: () => Promise<string>;
  /** Defaults to this page's origin with `/collab`. */
  url?: string;
  onStatus(status: SyncStatus): void;
  /** Whether the server made this connection read-only (role `read` or `comment`). */
  onReadOnly(readOnly: boolean): void;
}

/** A live connection to one document, and the Yjs document it keeps in sync. */
export interface Connection {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  status(): SyncStatus;
  /** Drops the socket and connects again (e.g. after a refused token was replaced). */
  reconnect(): void;
  /**
   * Sends `token()` to the server on the open connection (Hocuspocus token sync), so it outlives the previous
   * token's expiry. The server also asks for one shortly before expiry; this is for a token replaced early.
   */
  sendToken(): void;
  destroy(): void;
}

/** The WebSocket URL of this server's Hocuspocus endpoint. */
export function collabUrl(origin = location.origin): string {
  return `${origin.replace(/^http/, 'ws')}/collab`;
}

/**
 * Opens the document over `/collab` with `@hocuspocus/provider` and reports a trustworthy sync status on
 * every change: socket state, browser offline/online, authentication (and its refusal reason), initial sync,
 * and the count of changes the server has not acknowledged. Reconnects by itself (with backoff, and at once
 * when the browser comes back online), asking `token()` again each time.
 */
export function openConnection(options: ConnectionOptions): Connection {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: options.url ?? collabUrl(),
    // Backoff with jitter; minDelay must not exceed delay or the retry library refuses to start at all.
    delay: 1000,
    minDelay: 250,
    factor: 1.5,
    maxDelay: 10_000,
    maxAttempts: 0,
  });
  const inputs: SyncInputs = {
    socket: 'connecting',
    browserOnline: navigator.onLine,
    authenticated: false,
    denied: null,
    synced: false,
    unsynced: 0,
    readOnly: false,
  };
  let last: SyncStatus = describeSync(inputs);
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: options.documentName,
    document: doc,
    token: options.token,
  });

  const update = () => {
    inputs.authenticated = provider.isAuthenticated;
    inputs.synced = provider.isSynced;
    inputs.unsynced = provider.unsyncedChanges;
    inputs.readOnly = provider.authorizedScope === 'readonly';
    const next = describeSync(inputs);
    if (next.state !== last.state || next.label !== last.label || next.unsynced !== last.unsynced) {
      last = next;
      options.onStatus(next);
    }
  };
  provider.on('status', ({ status }: { status: SyncInputs['socket'] }) => {
    inputs.socket = status;
    update();
  });
  provider.on('authenticated', () => {
    inputs.denied = null;
    update();
    options.onReadOnly(inputs.readOnly);
  });
  let lastRetry = 0;
  provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
    // An expired token (a laptop that slept past it) is retried once with a fresh one from `token()`.
    if (reason === 'token-expired' && Date.now() - lastRetry > 10_000) {
      lastRetry = Date.now();
      socket.disconnect();
      void socket.connect();
      return;
    }
    inputs.denied = reason || 'permission-denied';
    update();
  });
  provider.on('synced', update);
  provider.on('unsyncedChanges', update);
  provider.on('close', update);

  const online = () => {
    inputs.browserOnline = true;
    update();
    void socket.connect();
  };
  const offline = () => {
    inputs.browserOnline = false;
    update();
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  provider.attach();
  options.onStatus(last);

  return {
    doc,
    provider,
    status: () => last,
    sendToken() {
      if (provider.isAuthenticated) void provider.sendToken();
    },
    reconnect() {
      inputs.denied = null;
      socket.disconnect();
      void socket.connect();
      update();
    },
    destroy() {
      window.removeEventListener('online', online);
      window.removeEventListener('offline', offline);
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
}
