/**
 * How a Word file is named, parsed and never fetched as given (issue 12, item 3). Remote ids take two forms:
 * `drives/{driveId}/items/{itemId}` (canonical: what links store and the delta feed reports) and
 * `shares/u!{base64url(url)}` (a sharing link or browser address, resolved to the canonical form through
 * Graph's `/shares/{id}/driveItem` before a link is stored).
 */

/** SharePoint Online hosts (global, US government, China), OneDrive for Business included (`-my`). */
const SHAREPOINT_HOST = /^[a-z0-9-]{1,63}\.sharepoint(?:\.com|\.us|-mil\.us|\.cn)$/i;
const ID = '[A-Za-z0-9!_.-]{1,200}';
const CANONICAL = new RegExp(`^drives/(${ID})/items/(${ID})$`);

export interface ItemAddress {
  driveId: string;
  itemId: string;
}

/** The remote id for an address or a bare `driveId/itemId`; null when it names no Word file we can reach. */
export function microsoftRemoteId(input: string): string | null {
  const trimmed = input.trim();
  const bare = new RegExp(`^(${ID})/(${ID})$`).exec(trimmed);
  if (bare) return `drives/${bare[1]}/items/${bare[2]}`;
  if (CANONICAL.test(trimmed)) return trimmed;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  const graphPath = new RegExp(`^/(?:v1\\.0|beta)/drives/(${ID})/items/(${ID})/?$`).exec(url.pathname);
  if (
    graphPath &&
    /^graph\.microsoft\.(com|us)$|^microsoftgraph\.chinacloudapi\.cn$|^dod-graph\.microsoft\.us$/.test(
      url.hostname,
    )
  ) {
    return `drives/${graphPath[1]}/items/${graphPath[2]}`;
  }
  if (!SHAREPOINT_HOST.test(url.hostname)) return null;
  url.hash = '';
  return `shares/u!${Buffer.from(url.href).toString('base64url')}`;
}

/** The drive and item of a canonical remote id; null for a share id or anything else. */
export function itemAddress(remoteId: string): ItemAddress | null {
  const match = CANONICAL.exec(remoteId);
  return match ? { driveId: match[1]!, itemId: match[2]! } : null;
}

/** The canonical remote id of a drive item. */
export function canonicalRemoteId(driveId: string, itemId: string): string {
  return `drives/${driveId}/items/${itemId}`;
}
