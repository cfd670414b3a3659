import { officialHosts } from '../../connectors/microsoft/credentials.ts';
import type { AllowedHost } from '../admin/endpointPolicy.ts';

/**
 * What the Word add-in's pages (`/word-addin/*`) need beyond the rest of the client, per Microsoft's rules for
 * Office Add-ins:
 * - Office.js comes from Microsoft's CDN (a shipped add-in may not bundle it), so that host is allowed for
 *   scripts; Office.js loads its host- and locale-specific parts from the same place;
 * - Word on the web shows the task pane in an iframe inside its own frames (`*.officeapps.live.com`) inside
 *   the OneDrive/SharePoint or Microsoft 365 page, and `frame-ancestors` is checked against every ancestor:
 *   each of those hosts must be allowed. Word on the desktop uses a webview with no ancestors;
 * - the sign-in dialog (the fallback when Office SSO is unavailable) redeems its authorization code at Entra's
 *   token endpoint from the browser (a single-page app), so that page may connect to the login hosts.
 */
export const officeScriptOrigin = 'https://appsforoffice.microsoft.com';

/** The hosts Word for the web frames an add-in from (commercial cloud). */
export const officeFrameAncestors = [
  'https://*.officeapps.live.com',
  'https://*.sharepoint.com',
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.microsoft365.com',
  'https://*.cloud.microsoft',
];

/** True for the add-in's pages and assets, which get the Office variant of the security headers. */
export function isAddinPath(path: string): boolean {
  return path.startsWith('/word-addin/');
}

/** The sign-in dialog's page (`Office.context.ui.displayDialogAsync` opens it; docs/word-addin-session.md). */
export const addinSignInPage = '/word-addin/sign-in.html';

/**
 * Where the sign-in page may connect besides its own server: Microsoft's login hosts (global and national
 * clouds) and the hosts the operator listed in `DOCBRIDGE_EXTRA_ENDPOINT_HOSTS`, the same list that lets a
 * credential name another authority (`endpoints.login`: a sovereign cloud, an emulator in tests).
 */
export function signInConnectSources(extra: readonly AllowedHost[]): string[] {
  const official = officialHosts.filter((host) => host.startsWith('login.')).map((host) => `https://${host}`);
  const listed = extra.map(({ host, port }) => {
    const name = host.includes(':') ? `[${host}]` : host;
    return `https://${name}${port === null ? ':*' : `:${port}`}`;
  });
  return [...official, ...listed];
}
