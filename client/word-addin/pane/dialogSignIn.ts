import { parseDialogMessage } from '../sign-in/dialogMessage.ts';
import { SessionError } from './addinSession.ts';
import type { OfficeNamespace } from './officeHost.ts';

/**
 * Office SSO errors the sign-in dialog can get past (Microsoft's "Troubleshoot error messages for single
 * sign-on"): SSO not supported by this Office or platform (13000, 13012), nobody signed in to Office (13001),
 * the user declined (13002: they may sign in when they choose to), an account type SSO cannot use (13003),
 * consent missing (13005), Office's own failures to get the token (13006, 13007), the browser's zones (13010),
 * an outdated cached Office.js (50001), and no code at all (Office.js without IdentityAPI). Not the others:
 * a manifest mistake (13004) or Office being busy or throttled (13008, 13013) is not cured by signing in.
 */
const dialogCurable = new Set([
  13_000, 13_001, 13_002, 13_003, 13_005, 13_006, 13_007, 13_010, 13_012, 50_001,
]);

/** True when an SSO failure with Office's `code` (as the SessionError's detail) calls for the dialog. */
export function dialogCanSignIn(code: string | undefined): boolean {
  return !code || dialogCurable.has(Number(code));
}

/** Office's dialog event 12006: the user closed the dialog. */
const DIALOG_CLOSED = 12_006;

/**
 * Opens the sign-in dialog (`/word-addin/sign-in.html`) and resolves with the Entra access token it sends
 * back. Must be called from the user's click (Office on the web opens the dialog as a popup). Rejects with a
 * `SessionError`: `sign-in-cancelled` when the user closed the dialog or declined at Microsoft,
 * `sign-in-failed` otherwise (the detail says why, never holding token material). Messages from any origin
 * but the add-in's own are ignored.
 */
export function signInWithDialog(office: OfficeNamespace, clientId: string | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const ui = office.context.ui;
    if (!ui) {
      reject(new SessionError('sign-in-failed', 'no-dialog-api'));
      return;
    }
    const url = new URL('/word-addin/sign-in.html', location.origin);
    if (clientId) url.searchParams.set('clientId', clientId);
    ui.displayDialogAsync(url.toString(), { height: 60, width: 30 }, (result) => {
      const dialog = result.value;
      if (result.status !== 'succeeded' || !dialog) {
        reject(new SessionError('sign-in-failed', `dialog-${result.error?.code ?? 'not-opened'}`));
        return;
      }
      dialog.addEventHandler(office.EventType.DialogMessageReceived, (event) => {
        if (event.origin !== undefined && event.origin !== location.origin) return;
        dialog.close();
        const message = parseDialogMessage(event.message);
        if ('accessToken' in message) resolve(message.accessToken);
        else
          reject(
            new SessionError(
              message.error === 'cancelled' ? 'sign-in-cancelled' : 'sign-in-failed',
              message.detail,
            ),
          );
      });
      dialog.addEventHandler(office.EventType.DialogEventReceived, (event) => {
        reject(
          new SessionError(
            event.error === DIALOG_CLOSED ? 'sign-in-cancelled' : 'sign-in-failed',
            `dialog-${event.error ?? 'event'}`,
          ),
        );
      });
    });
  });
}
