/**
 * Proof that an atom's payload came from one of Docbridge's own readers. An atom carries raw markup of its
 * source format (docx XML, ODF XML, a Google Docs element) that the writer of that format copies into the
 * file it exports or the remote it pushes to. Any editor can set node attributes over the socket, so without
 * a proof an editor could plant text, field codes or relationships that show up only in the exported file.
 * Readers stamp each atom with an HMAC over its source and payload under a server key; writers copy a payload
 * only when the stamp checks, and otherwise write the atom's visible label with a warning.
 *
 * The keys are process-wide: the server sets them, derived from its master keys, at start (so stamps survive
 * restarts and agree across instances and conversion workers); the first stamps, every one checks, so a
 * master key rotation keeps old stamps valid while the old key stays listed. Until then a random key makes
 * stamps valid within this process only, which keeps pure read-then-write use (tests, the CLI) working and
 * fails safe.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { JSONContent } from '@tiptap/core';

let keys: Uint8Array[] = [randomBytes(32)];

/** Sets the keys stamps are made (first) and checked (all) with; each 32 bytes or more. */
export function setAtomSealKeys(next: readonly Uint8Array[]): void {
  if (next.length === 0 || next.some((key) => key.length < 32))
    throw new Error('atom seal keys must be at least 32 bytes each');
  keys = next.map((key) => new Uint8Array(key));
}

/** The current keys, to hand to a conversion worker so its stamps match this process's. */
export function atomSealKeys(): Uint8Array[] {
  return keys;
}

/** The stamp of a payload of `source` (`docx`, `odt`, `gdocs`): base64url HMAC-SHA256. */
export function sealAtom(source: string, payload: string, key: Uint8Array = keys[0]!): string {
  return createHmac('sha256', key).update(source).update('\u0000').update(payload).digest('base64url');
}

/**
 * Stamps, in place, every atom and note of `nodes` and their descendants: for a reader that builds its atoms in
 * several places and keeps references to the JSON nodes (Google's position map), so they cannot be copied.
 */
export function stampAtoms(nodes: readonly JSONContent[]): void {
  for (const node of nodes) {
    if ((node.type === 'atomInline' || node.type === 'atomBlock' || node.type === 'note') && node.attrs)
      node.attrs.seal = sealAtom(String(node.attrs.source ?? ''), String(node.attrs.payload ?? ''));
    if (node.content) stampAtoms(node.content);
  }
}

/** True when `attrs.seal` is this server's stamp over `attrs.source` and `attrs.payload`. */
export function isSealed(attrs: Record<string, unknown> | undefined): boolean {
  const seal = attrs?.seal;
  if (typeof seal !== 'string' || seal.length === 0) return false;
  const given = Buffer.from(seal);
  return keys.some((key) => {
    const expected = Buffer.from(sealAtom(String(attrs?.source ?? ''), String(attrs?.payload ?? ''), key));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
