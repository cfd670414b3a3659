import type { SuiteInfo } from './adminApi.ts';

/** What an address pasted into the link form names: a suite's provider id, or one of these. */
export type RemoteKind = string | 'microsoft' | 'empty' | 'unknown';

const microsoftHosts = [
  /(^|\.)sharepoint\.com$/,
  /(^|\.)onedrive\.live\.com$/,
  /^1drv\.ms$/,
  /(^|\.)office\.com$/,
  /(^|\.)live\.com$/,
];

/**
 * Recognises the addresses of the suites the server speaks (their `url.pattern` from `GET /api/suites`), and
 * OneDrive or SharePoint ones while no suite claims them, from the text alone (never fetched), so the form can
 * answer plainly before asking the server, which parses the address again itself.
 */
export function remoteKind(
  input: string,
  suites: readonly Pick<SuiteInfo, 'provider' | 'url'>[],
): RemoteKind {
  const text = input.trim();
  if (!text) return 'empty';
  const suite = suites.find((s) => new RegExp(s.url.pattern).test(text));
  if (suite) return suite.provider;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'unknown';
  }
  if (url.protocol === 'https:' && microsoftHosts.some((host) => host.test(url.hostname))) return 'microsoft';
  return 'unknown';
}
