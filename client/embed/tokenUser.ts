import { jwtPayload } from '../shared/jwtPayload.ts';

/**
 * The user a token names, for the caret label only (display, not trust: the server verifies the token).
 * Reads the JWT payload's `sub` and `name`; falls back to an anonymous label when it cannot.
 */
export function tokenUser(token: string): { id: string; name: string } {
  const claims = jwtPayload(token);
  if (!claims) return { id: 'anonymous', name: 'Guest' };
  const id = typeof claims.sub === 'string' ? claims.sub : 'anonymous';
  return { id, name: typeof claims.name === 'string' ? claims.name : id };
}
