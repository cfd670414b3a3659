import { getDocument, getSession, type Session, sessionTokenSource } from '../shared/api.ts';
import { h, required } from '../shared/dom.ts';
import { renderNav } from '../shared/nav.ts';
import { signedOut } from '../shared/signedOut.ts';
import { autoVersions } from './autoVersions.ts';
import { openConnection } from './connection.ts';
import { documentMenu } from './documentMenu.ts';
import { mountEditorLazily } from './lazyEditor.ts';
import { startLinkStatusLine } from './linkStatusLine.ts';
import type { MountedEditor } from './mountEditor.ts';
import { shareButton } from './shareDialog.ts';
import { showStatus } from './statusLine.ts';

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
  const canEdit = () => (summary?.role ?? 'read') === 'edit';
  const notice = required('[data-notice]');
  const menuHost = required('[data-menu]');
  let versions: Promise<{ open(save: boolean): Promise<void> }> | null = null;
  // The version history (with its own read-only editor) loads when first opened.
  const openVersions = (save: boolean) => {
    versions ??= import('./versionsDialog.ts').then(({ createVersionsDialog }) =>
      createVersionsDialog(app, {
        documentName: name,
        canEdit,
        returnFocus: () => menuHost.querySelector<HTMLElement>('button')?.focus(),
        onRestored: (version) => {
          notice.textContent = `Version “${version}” restored. Everyone editing sees the change.`;
        },
      }),
    );
    void versions.then((dialog) => dialog.open(save));
  };
  const announce = (text: string) => {
    notice.textContent = text;
  };
  menuHost.replaceChildren(
    documentMenu(name, {
      announce,
      saveVersion: canEdit() ? () => openVersions(true) : null,
      openHistory: () => openVersions(false),
    }),
  );
  // Sharing is for the document's own department (its owner and admins); guests never pass a document on.
  if (!session.user.guest && session.user.tenant === match[1]) menuHost.append(shareButton(name, announce));
  startLinkStatusLine({ documentName: name, host: required('[data-links]'), provider: connection.provider });
  if (canEdit()) autoVersions(name, connection);
  mounted = await mountEditorLazily({
    host: app,
    connection,
    user: { id: session.user.id, name: session.user.name },
    toolbar: true,
    readOnly: false,
    label: `Document text: ${title}`,
  });
  // The role may have arrived while the editor was loading.
  if (connection.provider.isAuthenticated) {
    mounted.setServerReadOnly(connection.provider.authorizedScope === 'readonly');
  }
}

void start();
