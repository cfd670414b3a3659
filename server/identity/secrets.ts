import { createHash, randomBytes } from 'node:crypto';

/** A fresh unguessable secret (256 bits, base64url) prefixed with what it is for (`dbs`, `dbk`, `dbg`). */
export function newSecret(prefix: string): string {
  return `${prefix}.${randomBytes(32).toString('base64url')}`;
}

/** A short random public id (96 bits): what lists show and routes take; never a credential. */
export function newPublicId(): string {
  return randomBytes(12).toString('base64url');
}

/**
 * The SHA-256 of a secret, hex: sessions, socket keys and guest links are stored only as this, so a copy of
 * the database cannot be replayed. A plain hash suffices because the secrets are 256 random bits.
 */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * The WebSocket key of the session whose cookie secret is `cookie`: derived one-way, so the server can hand it
 * to the editor (which cannot read the HttpOnly cookie) without storing it, and it never reveals the cookie.
 */
export function socketKeyOf(cookie: string): string {
  return `dbk.${createHash('sha256').update(`socket:${cookie}`).digest('base64url')}`;
}
