/**
 * The document id in a Google Docs URL (`https://docs.google.com/document/d/<id>/edit`, also with `/u/<n>/`),
 * or a bare id. Parsed, never fetched. Null when the input is neither.
 */
export function googleDocumentId(input: string): string | null {
  const trimmed = input.trim();
  if (/^[A-Za-z0-9_-]{10,200}$/.test(trimmed)) return trimmed;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname !== 'docs.google.com') return null;
  const match = /^\/document\/(?:u\/\d+\/)?d\/([A-Za-z0-9_-]{10,200})(?:\/|$)/.exec(url.pathname);
  return match ? match[1]! : null;
}
