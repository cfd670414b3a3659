/**
 * Proof that an atom's payload came from one of Docbridge's own readers. An atom carries raw markup of its
 * source format (docx XML, ODF XML, a Google Docs element) that the writer of that format copies into the
 * file it exports or the remote it pushes to. Any editor can set node attributes over the socket, so without
 * a proof an editor could plant text, field codes or relationships that show up only in the exported file.
 * Readers stamp each atom with an HMAC over its source and payload under a server key; writers copy a payload
 * only when the stamp checks, and otherwise write the atom's visible label with a warning.
 *
 * The key is process-wide: the server sets one derived from its master key at start (so stamps survive
 * restarts and agree across instances and conversion workers); until then a random key makes stamps valid
 * within this process only, which keeps pure read-then-write use (tests, the CLI) working and fails safe.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

let key: Uint8Array = randomBytes(32);

/** Sets the key stamps are made and checked with (32 bytes or more). */
export function setAtomSealKey(next: Uint8Array): void {
  if (next.length < 32) throw new Error('the atom seal key must be at least 32 bytes');
  key = new Uint8Array(next);
}

/** The current key, to hand to a conversion worker so its stamps match this process's. */
export function atomSealKey(): Uint8Array {
  return key;
}

/** The stamp of a payload of `source` (`docx`, `odt`, `gdocs`): base64url HMAC-SHA256. */
export function sealAtom(source: string, payload: string): string {
  return createHmac('sha256', key).update(source).update('\u0000').update(payload).digest('base64url');
}

/** True when `attrs.seal` is this server's stamp over `attrs.source` and `attrs.payload`. */
export function isSealed(attrs: Record<string, unknown> | undefined): boolean {
  const seal = attrs?.seal;
  if (typeof seal !== 'string' || seal.length === 0) return false;
  const expected = Buffer.from(sealAtom(String(attrs?.source ?? ''), String(attrs?.payload ?? '')));
  const given = Buffer.from(seal);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
