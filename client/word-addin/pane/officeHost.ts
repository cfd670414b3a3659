import type { WordNamespace } from '../wordApi.ts';

/**
 * The part of Office.js's `Office` namespace the task pane calls (Office.js is loaded from Microsoft's CDN as a
 * classic script and declares globals; these types say exactly what the pane relies on, so the Word emulator
 * in test/emulators/word/ can stand in for it).
 */
export interface OfficeNamespace {
  onReady(): Promise<{ host: string | null; platform: string | null }>;
  readonly context: {
    readonly document: { readonly url: string | null };
    readonly requirements: { isSetSupported(name: string, minVersion?: string): boolean };
    /** The dialog API (DialogApi 1.1): the pane opens the sign-in dialog, the dialog answers the pane. */
    readonly ui?: {
      displayDialogAsync(
        url: string,
        options: { height?: number; width?: number; promptBeforeOpen?: boolean },
        callback: (result: DialogResult) => void,
      ): void;
      /** Only in a dialog: delivers `message` to the page that opened it (same origin). */
      messageParent?(message: string): void;
    };
  };
  /** `Office.EventType`: the names of the dialog's events. */
  readonly EventType: { readonly DialogMessageReceived: string; readonly DialogEventReceived: string };
  readonly auth: {
    getAccessToken(options?: {
      allowSignInPrompt?: boolean;
      allowConsentPrompt?: boolean;
      forMSGraphAccess?: boolean;
    }): Promise<string>;
  };
}

/**
 * What a dialog's handlers receive: `DialogMessageReceived` brings `message` (what the dialog passed to
 * `messageParent`) and the `origin` of the page that sent it; `DialogEventReceived` brings an `error` number
 * (12006: the user closed the dialog).
 */
export interface DialogEventArgs {
  message?: string | boolean;
  origin?: string;
  error?: number;
}

/** `Office.AsyncResult<Office.Dialog>`, as `displayDialogAsync` reports it. */
export interface DialogResult {
  status: 'succeeded' | 'failed';
  error?: { code: number; message: string };
  value?: {
    addEventHandler(type: string, handler: (event: DialogEventArgs) => void): void;
    close(): void;
  };
}

/** The Office.js globals, or null when the page was opened outside Office (Office.js missing). */
export function officeGlobals(): { office: OfficeNamespace; word: WordNamespace } | null {
  const scope = globalThis as { Office?: OfficeNamespace; Word?: WordNamespace };
  return scope.Office && scope.Word ? { office: scope.Office, word: scope.Word } : null;
}
