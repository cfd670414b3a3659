/**
 * The browser origins allowed to open a WebSocket or call the API: the configured allowlist plus the server's
 * own origins (added once the listening port is known). A request without an Origin header is not from a
 * browser page; it is let through here and must still authenticate.
 */
export function createOriginPolicy(allowed: string[]) {
  const set = new Set(allowed.map(normalise));
  return {
    allows(origin: string | undefined | null): boolean {
      if (origin === undefined || origin === null) return true;
      return set.has(normalise(origin));
    },
    /** Adds the server's own origins (its public URL, localhost on its port). */
    addOwn(origins: string[]): void {
      for (const origin of origins) set.add(normalise(origin));
    },
    /** The allowlist, for `frame-ancestors` and the embed script. */
    origins(): string[] {
      return [...set];
    },
  };
}

export type OriginPolicy = ReturnType<typeof createOriginPolicy>;

function normalise(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}
