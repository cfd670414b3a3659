import { installOffice } from './officeJs.ts';
import { type BuiltInStyle, WordDocument } from './wordDocument.ts';

/** What a test hands the browser build of the Word emulator (prefixed to the bundle as a global). */
export interface BrowserOfficeConfig {
  paragraphs: (string | { text: string; style?: BuiltInStyle })[];
  /** `Office.context.document.url`: the file's address in OneDrive or SharePoint. */
  url: string;
  requirements: Record<string, string>;
  /** What Office SSO gives the add-in; null when SSO is unavailable (the call rejects as Office does). */
  accessToken: string | null;
  /** With no access token: the code `getAccessToken` rejects with (13000, SSO not supported, by default). */
  ssoErrorCode?: number;
}

/**
 * The Word emulator as Office.js in a browser page: the e2e tests route Office.js's CDN URL to a bundle of
 * this module (prefixed with `globalThis.wordEmulatorConfig = …`), so the real task pane runs against
 * `officeJs.ts` over a `WordDocument`, and the test acts as the Word user through `globalThis.wordEmulator`.
 */
const scope = globalThis as unknown as Record<string, unknown>;
const config = scope.wordEmulatorConfig as BrowserOfficeConfig;
const document = new WordDocument(config.paragraphs, config.url);
const { accessToken, ssoErrorCode = 13_000 } = config;
installOffice(scope, {
  document,
  requirements: config.requirements,
  window: scope as unknown as Window,
  accessToken: async () => {
    if (accessToken !== null) return accessToken;
    throw Object.assign(new Error('SSO is not available'), { code: ssoErrorCode });
  },
});
scope.wordEmulator = { document };
