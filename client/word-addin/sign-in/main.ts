import { required } from '../../shared/dom.ts';
import type { OfficeNamespace } from '../pane/officeHost.ts';
import { beginSignIn, completeSignIn, redeemCode } from './authorizationCodeFlow.ts';
import type { DialogMessage } from './dialogMessage.ts';
import { clientIdOf, fetchSignInConfig } from './signInConfig.ts';

/**
 * The sign-in dialog (`/word-addin/sign-in.html`), which the task pane opens with
 * `Office.context.ui.displayDialogAsync` when Office SSO is unavailable (Microsoft's "Authenticate with the
 * Office dialog API"): on its first load it asks the server for the add-in registration's settings and goes
 * to Microsoft's sign-in page; Microsoft sends the browser back here with a code, which this page redeems
 * and hands the access token (only it) to the pane with `Office.context.ui.messageParent`. The token is
 * never logged nor kept: the pane exchanges it for a Docbridge session like an SSO token.
 */
async function run(): Promise<void> {
  const status = required('[data-status]');
  const say = (text: string, state: string) => {
    status.textContent = text;
    status.dataset.state = state;
  };
  const office = (globalThis as { Office?: OfficeNamespace }).Office;
  await office?.onReady();
  const ui = office?.context.ui;
  if (!ui?.messageParent) {
    say(
      'This page signs you in to the Docbridge add-in for Word. Open it from the add-in in Word.',
      'no-office',
    );
    return;
  }
  const send = (message: DialogMessage) => ui.messageParent?.(JSON.stringify(message));
  const redirectUri = `${location.origin}${location.pathname}`;
  const answer = completeSignIn(location.hash, sessionStorage);
  // The code is single use and already read: keep it out of the address bar and the history.
  if (location.hash) history.replaceState(null, '', redirectUri);
  if (answer.kind === 'failed') {
    say('You are not signed in. Return to the Docbridge pane in Word.', 'failed');
    send(answer.message);
    return;
  }
  if (answer.kind === 'code') {
    say('Finishing signing you in…', 'redeeming');
    const message = await redeemCode(answer.pending, answer.code);
    if (!('accessToken' in message))
      say('Microsoft did not sign you in. Return to the Docbridge pane.', 'failed');
    send(message);
    return;
  }
  const config = await fetchSignInConfig(clientIdOf(location));
  if (!config) {
    say('Docbridge could not prepare the sign-in. Return to the Docbridge pane.', 'failed');
    send({ error: 'unavailable', detail: 'no-sign-in-config' });
    return;
  }
  say('Taking you to Microsoft to sign in…', 'leaving');
  location.assign(await beginSignIn(config, redirectUri, sessionStorage));
}

void run();
