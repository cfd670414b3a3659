/**
 * The transaction origin of every write a link makes to a live document. `durable: true` tells the durability
 * extension (`server/collab/durability.ts`) that the update is already in the document's log (written in the
 * link's own transaction), and `linkId` lets the link recognise, and ignore, its own writes among the
 * document's changes. The one place this shape is built and read.
 */
export interface LinkOrigin {
  readonly source: 'link';
  readonly linkId: string;
  readonly durable: true;
}

/** The origin of link `linkId`'s writes. */
export function linkOrigin(linkId: string): LinkOrigin {
  return { source: 'link', linkId, durable: true };
}

/** The link that made a change, from its transaction origin, or null for anyone else's change. */
export function linkIdOf(origin: unknown): string | null {
  if (typeof origin !== 'object' || origin === null) return null;
  const { source, linkId } = origin as { source?: unknown; linkId?: unknown };
  return source === 'link' && typeof linkId === 'string' ? linkId : null;
}
