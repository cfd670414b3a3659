/** What kind of remote file an address pasted into the link form names. */
export type RemoteKind = 'google' | 'microsoft' | 'empty' | 'unknown';

const microsoftHosts = [
  /(^|\.)sharepoint\.com$/,
  /(^|\.)onedrive\.live\.com$/,
  /^1drv\.ms$/,
  /(^|\.)office\.com$/,
  /(^|\.)live\.com$/,
];

/**
 * Recognises Google Docs addresses (`https://docs.google.com/document/d/<id>/...`, also `/u/<n>/`) and
 * OneDrive or SharePoint ones, from the text alone (never fetched), so the form can answer plainly before
 * asking the server, which parses Google addresses again itself.
 */
export function remoteKind(input: string): RemoteKind {
  const text = input.trim();
  if (!text) return 'empty';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'unknown';
  }
  if (url.protocol !== 'https:') return 'unknown';
  if (
    url.hostname === 'docs.google.com' &&
    /^\/document\/(u\/\d+\/)?d\/[A-Za-z0-9_-]{10,}/.test(url.pathname)
  )
    return 'google';
  if (microsoftHosts.some((host) => host.test(url.hostname))) return 'microsoft';
  return 'unknown';
}
