import type { JSONContent } from '@tiptap/core';
import { Node as PMNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { validateDoc } from '../model/schema.ts';
import { applyNodeToFragment, documentFragment, fromYjs } from '../model/yjs.ts';

/**
 * Pure helpers over shadow documents. A shadow is a Y.Doc with its own stable clientID per link, so the
 * edits it makes to follow the remote are deterministic: recomputed after a crash from the same persisted
 * state, they carry the same ids and merge idempotently.
 */

/** A shadow restored from its persisted state (or empty), with the link's clientID. */
export function openShadow(clientId: number, state: Uint8Array | null): Y.Doc {
  const doc = new Y.Doc();
  if (state) Y.applyUpdate(doc, state);
  // Set after loading: Yjs takes a remote update that advances its own clientID for a clash and picks a new id.
  doc.clientID = clientId;
  return doc;
}

/** A stable 31-bit clientID derived from a link id (FNV-1a), far from the random ids browsers pick. */
export function shadowClientId(linkId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < linkId.length; i++) {
    hash ^= linkId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 1 || 1;
}

/**
 * The schema content of a Yjs state, read from a scratch copy so reading never mutates the source, and
 * validated once: the node the engine compares and hands to the connector.
 */
export function contentOf(state: Uint8Array): PMNode {
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, state);
  return validateDoc(fromYjs(scratch));
}

/**
 * Content equality of two schema documents. Nodes (already valid) are compared structurally without another
 * validation; schema JSON (tests, the admin routes) is normalised through the schema first.
 */
export function sameContent(a: JSONContent | PMNode, b: JSONContent | PMNode): boolean {
  const node = (doc: JSONContent | PMNode) => (doc instanceof PMNode ? doc : validateDoc(doc));
  return node(a).eq(node(b));
}

/**
 * Moves `shadow` to hold `target` with minimal Yjs edits and returns exactly those edits as an update
 * (null when nothing changed).
 */
export function follow(shadow: Y.Doc, target: PMNode, origin: unknown): Uint8Array | null {
  // Yjs emits 'update' only for transactions that inserted or deleted something.
  const updates: Uint8Array[] = [];
  const collect = (update: Uint8Array) => updates.push(update);
  shadow.on('update', collect);
  try {
    applyNodeToFragment(documentFragment(shadow), target, origin);
  } finally {
    shadow.off('update', collect);
  }
  return updates.length === 0 ? null : Y.mergeUpdates(updates);
}

/** The size of the edit that `follow` would make from `state` to `target`: a measure of distance. */
export function distance(clientId: number, state: Uint8Array, target: PMNode): number {
  const scratch = openShadow(clientId, state);
  return follow(scratch, target, null)?.length ?? 0;
}
