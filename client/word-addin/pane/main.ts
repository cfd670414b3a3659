import { openConnection } from '../../editor/connection.ts';
import { startLinkStatusLine } from '../../editor/linkStatusLine.ts';
import { showStatus } from '../../editor/statusLine.ts';
import { userColour } from '../../editor/userColour.ts';
import { tokenUser } from '../../embed/tokenUser.ts';
import { h, required } from '../../shared/dom.ts';
import { clientIdOf, fetchSignInConfig } from '../sign-in/signInConfig.ts';
import { WordBinding } from '../wordBinding.ts';
import {
  type AddinSession,
  openSession,
  retryWithFreshToken,
  SessionError,
  type SessionProblem,
  sessionTokenSource,
  ssoToken,
} from './addinSession.ts';
import { dialogCanSignIn, signInWithDialog } from './dialogSignIn.ts';
import { officeGlobals } from './officeHost.ts';
import { showPeople } from './presence.ts';

/** What the pane says when it cannot open the document, in words a Word user can act on. */
const problemText: Record<SessionProblem, string> = {
  'sso-unavailable':
    'Word could not sign you in to Docbridge with your Microsoft account. Ask your administrator to check the Docbridge add-in’s single sign-on set-up.',
  'sso-declined':
    'You did not allow Docbridge to use your Microsoft account, so it cannot open this document. Close and reopen the add-in to try again.',
  'not-linked':
    'This file is not linked to a Docbridge document, so nothing is shared live. Ask your Docbridge administrator to link it.',
  'no-access':
    'You do not have access to this file’s Docbridge document. Ask the file’s owner to share the file with you.',
  'sign-in-refused':
    'Docbridge did not accept your Microsoft sign-in for this organisation. Ask your administrator to check the add-in’s registration.',
  'not-configured':
    'Docbridge is not set up for your organisation’s Word add-in yet. Ask your administrator to register the add-in on your Microsoft credential.',
  'no-document-url':
    'This document is not saved in OneDrive or SharePoint. Save it there first: Docbridge finds its linked document by the file’s address.',
  'server-unreachable':
    'Docbridge could not be reached or is busy. Wait a minute, check your connection, and reopen the add-in.',
  refused: 'Docbridge refused to open this document. Ask your administrator, quoting the code below.',
  'sign-in-cancelled':
    'You closed the sign-in window before signing in, so Docbridge cannot open this document yet.',
  'sign-in-failed':
    'Microsoft did not sign you in to Docbridge. Try again; if it keeps failing, ask your administrator, quoting the code below.',
  'session-ending':
    'Your Docbridge sign-in is ending. Sign in with Microsoft again to keep sharing your changes.',
};

/** What the pane says above "Sign in with Microsoft" when Office SSO failed in a way the dialog gets past. */
const dialogOffer: Partial<Record<SessionProblem, string>> = {
  'sso-unavailable':
    'Word could not sign you in to Docbridge by itself. Sign in with your Microsoft account to open this document.',
  'sso-declined':
    'You did not allow Docbridge to use your Microsoft account. To open this document, sign in with Microsoft.',
};

/** Problems shown with their code, for support (Office's, Entra's or the server's own). */
const withCode = new Set<SessionProblem>(['refused', 'sign-in-failed']);

/** Signed in: the Docbridge session and the user's name and id (for the caret) from the Entra token. */
type SignedIn = { session: AddinSession; user: { id: string; name: string } };

/**
 * An Entra token (`token`: Office SSO, or what the sign-in dialog brought back), then the session route for
 * the file open in Word. The user's name and id for the caret come from the token's claims (display only:
 * the server verified the token). `retry`: ask `token` once more after an expired or refused token (Office
 * renews what it cached; a dialog's token is not asked twice).
 */
async function signIn(token: () => Promise<string>, documentUrl: string, retry: boolean): Promise<SignedIn> {
  const accessToken = await token();
  try {
    return { session: await openSession(accessToken, documentUrl), user: tokenUser(accessToken) };
  } catch (error) {
    if (!retry || !(error instanceof SessionError) || !retryWithFreshToken.has(error.detail ?? ''))
      throw error;
    return signIn(token, documentUrl, false);
  }
}

/** Resolves once the provider has its first sync with the server. */
function firstSync(connection: ReturnType<typeof openConnection>): Promise<void> {
  if (connection.provider.isSynced) return Promise.resolve();
  return new Promise((resolve) => {
    const onSynced = ({ state }: { state: boolean }) => {
      if (!state) return;
      connection.provider.off('synced', onSynced);
      resolve();
    };
    connection.provider.on('synced', onSynced);
  });
}

/**
 * The Docbridge task pane inside Word (`/word-addin/taskpane.html`): once Office is ready it signs in with
 * Office SSO, asks the server for a session on the document linked to the open file, joins that document as
 * one more Yjs client and starts the Word binding (paragraph events on WordApi 1.6, else a poll of Word's
 * paragraphs once a second). It shows who else is editing and from which suite, the sync status in words and each
 * linked file's status, and says plainly why when the file is not linked, the user has no access or SSO
 * failed. Where SSO is unavailable it offers "Sign in with Microsoft": Office's sign-in dialog
 * (dialogSignIn.ts, docs/word-addin-session.md), whose token then takes the same path as SSO's.
 */
async function start(): Promise<void> {
  const status = required('[data-status]');
  const message = required('[data-message]');
  // `detail`: the server's, Office's or Entra's own code, for support and tests (shown for some problems).
  const problem = (text: string, code: string, detail?: string) => [
    h('p', { class: 'body', 'data-problem': code, 'data-detail': detail }, text),
    ...(withCode.has(code as SessionProblem) && detail
      ? [h('p', { class: 'body body--small' }, `Code: ${detail}`)]
      : []),
  ];
  const fail = (text: string, code: string, detail?: string) => {
    status.textContent = '';
    status.dataset.state = 'denied';
    message.replaceChildren(...problem(text, code, detail));
  };
  const outsideWord = () =>
    fail('This page is the Docbridge add-in for Word. Open it from Word’s Docbridge button.', 'no-office');
  const globals = officeGlobals();
  if (!globals) return outsideWord();
  const { office, word } = globals;
  // Office.js loaded in a plain browser tab resolves with no host.
  if ((await office.onReady()).host !== 'Word') return outsideWord();
  const documentUrl = office.context.document.url;
  if (!documentUrl) return fail(problemText['no-document-url'], 'no-document-url');
  const clientId = clientIdOf(location);
  const sso = () => ssoToken(office);
  // The dialog fallback: `why` with a "Sign in with Microsoft" button, offered again after a cancelled or
  // failed dialog, until a dialog sign-in opens a session; then the message area gets `restore` back. It
  // rejects with what signing in again cannot cure (the file is not linked, the token's audience is wrong...).
  // Dialogs open only on the user's click, never by themselves.
  const viaDialog = (
    why: SessionProblem,
    detail?: string,
    restore: ChildNode[] = [...message.childNodes],
  ): Promise<SignedIn> =>
    new Promise((resolve, reject) => {
      const button = h(
        'button',
        { type: 'button', class: 'button', 'data-sign-in': true },
        'Sign in with Microsoft',
      );
      message.replaceChildren(...problem(dialogOffer[why] ?? problemText[why], why, detail), button);
      const retry = (error: unknown) => {
        if (
          error instanceof SessionError &&
          (error.code === 'sign-in-cancelled' || error.code === 'sign-in-failed')
        )
          viaDialog(error.code, error.detail, restore).then(resolve, reject);
        else reject(error);
      };
      button.addEventListener(
        'click',
        () => {
          button.disabled = true;
          signInWithDialog(office, clientId)
            .then((token) => signIn(async () => token, documentUrl, false))
            .then((signedIn) => {
              message.replaceChildren(...restore);
              resolve(signedIn);
            }, retry);
        },
        { once: true },
      );
    });

  let signedIn: SignedIn;
  let viaSso = true;
  try {
    signedIn = await signIn(sso, documentUrl, true);
  } catch (error) {
    if (!(error instanceof SessionError)) throw error;
    const ssoFailed = error.code === 'sso-unavailable' || error.code === 'sso-declined';
    // The button only when a dialog can help: SSO's failure is one it gets past and the server has a
    // registration for it to sign in to.
    if (!ssoFailed || !dialogCanSignIn(error.detail) || !(await fetchSignInConfig(clientId))) {
      return fail(problemText[error.code], error.code, error.detail);
    }
    status.textContent = '';
    status.dataset.state = 'signed-out';
    try {
      signedIn = await viaDialog(error.code, error.detail);
      viaSso = false;
    } catch (failure) {
      if (!(failure instanceof SessionError)) throw failure;
      return fail(problemText[failure.code], failure.code, failure.detail);
    }
  }
  const { session, user } = signedIn;

  required('[data-title]').textContent = session.document.title;
  document.title = `${session.document.title} – Docbridge`;
  // Renewal: Office SSO again silently; a dialog sign-in asks the user (a button) to sign in again.
  const tokens = sessionTokenSource(session, async () =>
    viaSso ? (await signIn(sso, documentUrl, true)).session : (await viaDialog('session-ending')).session,
  );
  const connection = openConnection({
    documentName: session.document.name,
    token: tokens,
    onStatus: (next) => showStatus(status, next),
    onReadOnly: () => undefined,
  });
  connection.provider.setAwarenessField('user', {
    name: user.name,
    color: userColour(user.id),
    suite: 'word',
  });
  required('[data-people-section]').hidden = false;
  showPeople(required('[data-people]'), connection.provider);
  startLinkStatusLine({
    documentName: session.document.name,
    host: required('[data-links]'),
    rest: false,
    provider: connection.provider,
  });
  if (session.role !== 'edit') {
    message.replaceChildren(
      h(
        'p',
        { class: 'body', 'data-problem': 'read-only' },
        'You can read this document but not edit it, so your changes in Word are not shared.',
      ),
    );
    return;
  }
  const events = office.context.requirements.isSetSupported('WordApi', '1.6');
  await firstSync(connection);
  const binding = new WordBinding({
    word,
    doc: connection.doc,
    events,
    onError: (error) => console.warn('docbridge: a Word change will be retried', error),
  });
  try {
    await binding.start();
  } catch (error) {
    console.error('docbridge: the Word binding did not start', error);
    message.replaceChildren(
      h(
        'p',
        { class: 'body', 'data-problem': 'binding-failed' },
        'Docbridge could not read this document in Word, so changes are not shared. Close and reopen the add-in.',
      ),
    );
    connection.destroy();
    return;
  }
  const mode = required('[data-mode]');
  mode.textContent = events
    ? 'Live: Word reports each paragraph you change.'
    : 'Live: this version of Word reports no paragraph changes, so Docbridge checks for them once a second.';
  mode.dataset.events = String(events);
  window.addEventListener('pagehide', () => {
    void binding.stop().finally(() => connection.destroy());
  });
}

void start();
