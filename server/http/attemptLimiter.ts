/**
 * A per-caller budget of attempts for sign-in routes, which each cost the server remote calls (key sets,
 * token exchanges): `limit` attempts per `windowMs` per key (the client address), then 429 with Retry-After
 * until the window ends. In memory, per instance: it blunts floods and guessing, it is not a quota.
 */
export class AttemptLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt of `key`: null when allowed, else the seconds until the next one is. */
  take(key: string, now = Date.now()): number | null {
    if (this.windows.size > 10_000) this.forgetEnded(now);
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs) {
      this.windows.set(key, { start: now, count: 1 });
      return null;
    }
    window.count += 1;
    if (window.count <= this.limit) return null;
    return Math.max(1, Math.ceil((window.start + this.windowMs - now) / 1000));
  }

  private forgetEnded(now: number): void {
    for (const [key, window] of this.windows)
      if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
