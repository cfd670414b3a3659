/**
 * The user a token names, for the caret label only (display, not trust: the server verifies the token).
 * Reads the JWT payload's `sub` and `name`; falls back to an anonymous label when it cannot.
 */
export function tokenUser(token: string): { id: string; name: string } {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(
      payload
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(payload.length / 4) * 4, '='),
    );
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as {
      sub?: unknown;
      name?: unknown;
    };
    const id = typeof claims.sub === 'string' ? claims.sub : 'anonymous';
    return { id, name: typeof claims.name === 'string' ? claims.name : id };
  } catch {
    return { id: 'anonymous', name: 'Guest' };
  }
}
