import { browserUrlOf, webUrlOf } from './driveItemJson.ts';
import type { Drive, DriveItem, GraphState } from './graphState.ts';

/**
 * Resolves a `shares` key (`u!` + base64url of a URL, no padding) to the item the URL names: one of its
 * sharing links, its web address, or a Word for the web address (`Doc.aspx?sourcedoc={uniqueId}`).
 * `invalid` for a key that is not a well-formed encoded URL; null when no item matches.
 */
export function resolveShare(
  state: GraphState,
  shareId: string,
): { drive: Drive; item: DriveItem } | null | 'invalid' {
  if (!shareId.startsWith('u!') || !/^[A-Za-z0-9_-]+$/.test(shareId.slice(2))) return 'invalid';
  let url: URL;
  try {
    url = new URL(Buffer.from(shareId.slice(2), 'base64url').toString('utf8'));
  } catch {
    return 'invalid';
  }
  const sourcedoc = /^\{?([0-9A-Fa-f-]{36})\}?$/
    .exec(url.searchParams.get('sourcedoc') ?? '')?.[1]
    ?.toUpperCase();
  for (const drive of state.drives.values()) {
    for (const item of drive.items.values()) {
      if (item.deleted) continue;
      const matches =
        item.sharingLinks.includes(url.href) ||
        webUrlOf(drive, item) === url.href ||
        browserUrlOf(drive, item) === url.href ||
        (sourcedoc !== undefined &&
          sourcedoc === item.uniqueId &&
          url.origin === new URL(drive.webUrl).origin);
      if (matches) return { drive, item };
    }
  }
  return null;
}
