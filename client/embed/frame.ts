import { openConnection } from '../editor/connection.ts';
import type { LinkLine } from '../editor/linkStatus.ts';
import { startLinkStatusLine } from '../editor/linkStatusLine.ts';
import { type MountedEditor, mountEditor } from '../editor/mountEditor.ts';
import { showStatus } from '../editor/statusLine.ts';
import type { SyncStatus } from '../editor/syncStatus.ts';
import { required } from '../shared/dom.ts';
import type {
  EmbedConfig,
  EmbedEventDetail,
  EmbedEventName,
  EmbedLinkStatus,
  FrameMessage,
  HostMessage,
} from './messages.ts';
import { tokenUser } from './tokenUser.ts';

const documentPath = /^\/embed\/([a-z0-9][a-z0-9-]{0,62})\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})\/?$/;

/**
 * The iframe page, `/embed/<tenant>/<id>`. It accepts messages only from its parent window and only from an
 * allowed origin; it learns the token from the parent's `init` message (never from its URL), and reports
 * `ready`, `saved`, `sync-status` and `error` to that parent origin only.
 */
async function start(): Promise<void> {
  const app = required('[data-app]');
  const statusElement = required('[data-status]');
  const match = documentPath.exec(location.pathname);
  if (!match) {
    statusElement.textContent = 'This address does not name a document.';
    return;
  }
  const name = `${match[1]}/${match[2]}`;
  if (window.parent === window) {
    statusElement.textContent =
      'This page shows a document inside another site. Open the document from that site.';
    return;
  }
  const config = (await (await fetch('/embed/config.json')).json()) as EmbedConfig;
  const allowed = new Set([location.origin, ...config.allowedOrigins]);
  let parentOrigin: string | null = null;
  let token = '';
  let mounted: MountedEditor | null = null;

  const emit = (eventName: EmbedEventName, detail: Omit<EmbedEventDetail, 'document'>) => {
    if (!parentOrigin) return;
    const message: FrameMessage = {
      source: 'docbridge',
      type: 'event',
      name: eventName,
      detail: { document: name, ...detail },
    };
    window.parent.postMessage(message, parentOrigin);
  };

  let previous: SyncStatus | null = null;
  let ready = false;
  let links: EmbedLinkStatus[] = [];
  const onStatus = (status: SyncStatus) => {
    showStatus(statusElement, status);
    emit('sync-status', { state: status.state, label: status.label, links });
    if (status.state === 'saved' && previous?.state === 'saving') emit('saved', {});
    if (status.state === 'denied')
      emit('error', { code: status.reason ?? 'permission-denied', message: status.label });
    if (!ready && (status.state === 'saved' || status.state === 'read-only')) {
      ready = true;
      emit('ready', { readOnly: status.state === 'read-only' });
    }
    previous = status;
  };

  const begin = (init: Extract<HostMessage, { type: 'init' }>) => {
    token = init.token;
    const user = tokenUser(token);
    const connection = openConnection({
      documentName: name,
      token: async () => token,
      onStatus,
      onReadOnly: (readOnly) => mounted?.setServerReadOnly(readOnly),
    });
    mounted = mountEditor({
      host: app,
      connection,
      user,
      toolbar: init.toolbar,
      readOnly: init.readonly,
      label: `Document text: ${name}`,
    });
    // Link statuses ride on `sync-status`: a change of any link re-sends the current status with them.
    startLinkStatusLine({
      documentName: name,
      host: required('[data-links]'),
      token: () => token,
      provider: connection.provider,
      onChange: (lines: LinkLine[]) => {
        links = lines.map(({ provider, tone, announcement, remoteUrl }) => ({
          provider,
          state: tone,
          label: announcement,
          remoteUrl,
        }));
        const current = connection.status();
        emit('sync-status', { state: current.state, label: current.label, links });
      },
    });
    return connection;
  };

  let connection: ReturnType<typeof begin> | null = null;
  window.addEventListener('message', (event: MessageEvent) => {
    // Only the framing page, and only from an allowed origin: anything else is ignored.
    if (event.source !== window.parent || !allowed.has(event.origin)) return;
    const data = event.data as HostMessage | null;
    if (data?.source !== 'docbridge-host' || typeof data.token !== 'string' || !data.token) return;
    if (data.type === 'init' && !connection) {
      parentOrigin = event.origin;
      connection = begin(data);
    } else if (data.type === 'token' && connection && event.origin === parentOrigin) {
      token = data.token;
      if (connection.status().state === 'denied') connection.reconnect();
    }
  });

  const hello: FrameMessage = { source: 'docbridge', type: 'hello', document: name };
  // The parent's origin is not known yet: address the greeting to each allowed origin; the browser delivers
  // it only where the target matches the real parent, so the message never reaches anyone else.
  // Repeated until the parent answers, for pages that start listening after the frame loaded.
  let attempts = 0;
  const greet = () => {
    if (connection || attempts++ > 30) return;
    for (const origin of allowed) window.parent.postMessage(hello, origin);
    setTimeout(greet, 1000);
  };
  greet();
}

void start();
