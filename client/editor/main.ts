import { getDocument, getSession, type Session, sessionTokenSource } from '../shared/api.ts';
import { h, required } from '../shared/dom.ts';
import { renderNav } from '../shared/nav.ts';
import { signedOut } from '../shared/signedOut.ts';
import { autoVersions } from './autoVersions.ts';
import { openConnection } from './connection.ts';
import { documentMenu } from './documentMenu.ts';
import { startLinkStatusLine } from './linkStatusLine.ts';
import { type MountedEditor, mountEditor } from './mountEditor.ts';
import { showStatus } from './statusLine.ts';
import { createVersionsDialog } from './versionsDialog.ts';

const documentPath = /^\/d\/([a-z0-9][a-z0-9-]{0,62})\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})\/?$/;

/** The editor page, `/d/<tenant>/<id>`: signs in through the session cookie and opens the document. */
async function start(): Promise<void> {
  const app = required('[data-app]');
  const status = required('[data-status]');
  const titleElement = required('[data-title]');
  const match = documentPath.exec(location.pathname);
  if (!match) {
    status.textContent = '';
    app.replaceChildren(h('p', { class: 'body' }, 'This address does not name a document.'));
    return;
  }
  const name = `${match[1]}/${match[2]}`;
  let session: Session;
  try {
    session = await getSession();
  } catch (error) {
    status.textContent = '';
    app.replaceChildren(signedOut(error, 'You need to sign in to open this document.', 'the document'));
    return;
  }
  renderNav(required('[data-nav]'), session);

  const summary = await getDocument(name).catch(() => null);
  const title = summary?.title ?? name;
  titleElement.textContent = title;
  document.title = `${title} – Docbridge`;

  let mounted: MountedEditor | null = null;
  const connection = openConnection({
    documentName: name,
    token: sessionTokenSource(),
    onStatus: (next) => showStatus(status, next),
    onReadOnly: (readOnly) => mounted?.setServerReadOnly(readOnly),
  });
  mounted = mountEditor({
    host: app,
    connection,
    user: { id: session.user.id, name: session.user.name },
    toolbar: true,
    readOnly: false,
    label: `Document text: ${title}`,
  });
  if (connection.provider.isAuthenticated) {
    mounted.setServerReadOnly(connection.provider.authorizedScope === 'readonly');
  }
  const canEdit = () => (summary?.role ?? 'read') === 'edit';
  const notice = required('[data-notice]');
  const menuHost = required('[data-menu]');
  const versions = createVersionsDialog(app, {
    documentName: name,
    canEdit,
    returnFocus: () => menuHost.querySelector<HTMLElement>('button')?.focus(),
    onRestored: (version) => {
      notice.textContent = `Version “${version}” restored. Everyone editing sees the change.`;
    },
  });
  menuHost.replaceChildren(
    documentMenu(name, {
      announce: (text) => {
        notice.textContent = text;
      },
      saveVersion: canEdit() ? () => void versions.open(true) : null,
      openHistory: () => void versions.open(false),
    }),
  );
  startLinkStatusLine({ documentName: name, host: required('[data-links]'), provider: connection.provider });
  if (canEdit()) autoVersions(name, connection);
}

/** What a visitor without a session sees: how to sign in, in plain words. */

void start();
