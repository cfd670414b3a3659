import type { DialogEventArgs, DialogResult } from '../../../client/word-addin/pane/officeHost.ts';

/** `Office.EventType`'s dialog events, with the values Office.js gives them. */
export const dialogEventTypes = {
  DialogMessageReceived: 'dialogMessageReceived',
  DialogEventReceived: 'dialogEventReceived',
} as const;

/** Office's dialog errors (Microsoft's "Handle errors and events in the Office dialog box"). */
const errors = {
  12004:
    'The domain of the URL is not included in the AppDomains element in the manifest, and is not subdomain of source location.',
  12005: 'The URL passed to displayDialogAsync uses the HTTP protocol. HTTPS is required.',
  12007: 'A dialog box is already opened from this host window.',
  12009: 'The user chose to ignore the dialog box.',
} as const;

/** The user closed the dialog (its close button), reported through `DialogEventReceived`. */
const DIALOG_CLOSED = 12_006;

/**
 * `Office.context.ui` in a browser window (DialogApi 1.1): `displayDialogAsync` opens the page in a real
 * popup window, as Office on the web does, after Office's checks (the first page must be of the add-in's own
 * origin, over https, one dialog at a time); the dialog's page, loading Office.js in turn, gets
 * `messageParent`, which delivers to its opener only when both are of one origin (DialogApi 1.1 has no
 * `targetOrigin`), arriving as `DialogMessageReceived` with the sender's origin. A dialog the user closes
 * reports `DialogEventReceived` with 12006; `dialog.close()` closes it silently.
 *
 * One allowance: the e2e server is plain http on loopback, so an http dialog URL on the pane's own loopback
 * origin stands in for the https origin Office requires (12005 otherwise).
 */
export function officeDialogApi(win: Window) {
  let current: Window | null = null;
  const ui: {
    displayDialogAsync(
      url: string,
      options: { height?: number; width?: number },
      callback: (result: DialogResult) => void,
    ): void;
    messageParent?(message: string | boolean): void;
  } = {
    displayDialogAsync(url, options, callback) {
      const fail = (code: keyof typeof errors) =>
        callback({ status: 'failed', error: { code, message: errors[code] } });
      const target = new URL(url, win.location.href);
      const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(target.hostname);
      if (target.protocol !== 'https:' && !(loopback && target.origin === win.location.origin))
        return fail(12005);
      if (target.origin !== win.location.origin) return fail(12004);
      if (current && !current.closed) return fail(12007);
      // Office sizes the dialog in percent of the screen (1 to 100).
      const percent = (value: number | undefined, whole: number) =>
        Math.round((Math.min(100, Math.max(1, value ?? 80)) / 100) * whole);
      const popup = win.open(
        target.toString(),
        '_blank',
        `popup,width=${percent(options.width, win.screen.width)},height=${percent(options.height, win.screen.height)}`,
      );
      if (!popup) return fail(12009);
      current = popup;
      const handlers = new Map<string, ((event: DialogEventArgs & { type: string }) => void)[]>();
      const emit = (type: string, event: DialogEventArgs) => {
        for (const handler of handlers.get(type) ?? []) handler({ type, ...event });
      };
      let closedByAddin = false;
      const onMessage = (event: MessageEvent) => {
        const data = event.data as { officeDialogMessage?: unknown } | null;
        if (event.source !== popup || data === null || typeof data !== 'object') return;
        const message = data.officeDialogMessage;
        if (typeof message !== 'string' && typeof message !== 'boolean') return;
        emit(dialogEventTypes.DialogMessageReceived, { message, origin: event.origin });
      };
      const end = () => {
        win.clearInterval(watch);
        win.removeEventListener('message', onMessage);
        if (current === popup) current = null;
      };
      const watch = win.setInterval(() => {
        if (!popup.closed) return;
        end();
        if (!closedByAddin) emit(dialogEventTypes.DialogEventReceived, { error: DIALOG_CLOSED });
      }, 100);
      win.addEventListener('message', onMessage);
      callback({
        status: 'succeeded',
        value: {
          addEventHandler(type, handler) {
            if (!Object.values<string>(dialogEventTypes).includes(type)) {
              throw new Error(`Office.Dialog has no event ${type}`);
            }
            handlers.set(type, [...(handlers.get(type) ?? []), handler]);
          },
          close() {
            closedByAddin = true;
            popup.close();
            end();
          },
        },
      });
    },
  };
  // Only a dialog's page (a window Office opened) can message its parent.
  if (win.opener) {
    ui.messageParent = (message) => {
      (win.opener as Window).postMessage({ officeDialogMessage: message }, win.location.origin);
    };
  }
  return ui;
}
