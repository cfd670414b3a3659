import { autoVersion } from '../shared/documentApi.ts';
import type { Connection } from './connection.ts';

/** How often an editing session asks for an automatic version (the server also enforces its own interval). */
export const AUTO_VERSION_MS = 5 * 60_000;

/**
 * Automatic versions while someone edits: every five minutes in which this user changed the document, the
 * page asks the server for an automatic version, which the server saves only when it is due and the content
 * changed since the last one. Remote changes (other users, connectors) do not count as this user's editing.
 */
export function autoVersions(documentName: string, connection: Connection): { stop(): void } {
  let edited = false;
  connection.doc.on('update', (_update: Uint8Array, origin: unknown) => {
    if (origin !== connection.provider) edited = true;
  });
  const timer = window.setInterval(() => {
    if (!edited) return;
    edited = false;
    autoVersion(documentName).catch(() => {
      edited = true;
    });
  }, AUTO_VERSION_MS);
  return { stop: () => window.clearInterval(timer) };
}
