interface Waiter {
  resolve(): void;
  since: number;
}

/** How much each served call moves the smoothed wait, and how long it is remembered without calls. */
const WAIT_SMOOTHING = 0.2;
const WAIT_MEMORY_MS = 30_000;

/**
 * The credential's budget kept outside this process, when several instances run links of one credential:
 * `take` takes one call from it and resolves with 0, or with how long (ms) until one may be taken.
 */
export interface SharedBucket {
  take(): Promise<number>;
}

/** Makes the limiter of one of a credential's quotas (`name`: reads, writes...) at a rate and a burst. */
export type LimiterFactory = (name: string, perSecond: number, burst: number) => RateLimiter;

/** Limiters of this process alone: one instance, or no shared store configured. */
export const localLimiters: LimiterFactory = (_name, perSecond, burst) => new RateLimiter(perSecond, burst);

/**
 * A token bucket shared by every link of one credential, so the credential stays under its remote quota
 * whatever the number of documents. Urgent calls (for documents someone has open) go before the others;
 * within each class waiters are served first come, first served: each link asks for one call at a time, so
 * FIFO order shares the budget fairly between documents. A 429's Retry-After pauses the whole bucket, since
 * the quota it reports is the credential's, not one document's. With a `shared` bucket (several instances),
 * every call also takes from it, so the instances together stay under the quota; if that store cannot be
 * reached, the local bucket alone decides (a 429 then still pauses this instance by its Retry-After).
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private pausedUntil = 0;
  private readonly urgent: Waiter[] = [];
  private readonly queue: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** A `shared.take()` under way: the next call is served when it answers. */
  private taking = false;
  /** Smoothed time callers waited for a token (ms), and when the last one was served. */
  private waitMs = 0;
  private lastServed = 0;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly shared?: SharedBucket,
  ) {
    this.tokens = burst;
  }

  /** Resolves when one call may be made; an `urgent` call is served before every waiting non-urgent one. */
  acquire(urgent = false): Promise<void> {
    return new Promise((resolve) => {
      (urgent ? this.urgent : this.queue).push({ resolve, since: Date.now() });
      this.pump();
    });
  }

  /** Stops every call for `ms` (a Retry-After from the remote). */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
    this.pump();
  }

  /**
   * How long calls have lately waited for a token (ms, smoothed over the last few calls; 0 once no call was
   * served for a while): the delay the credential's quota adds to every read.
   */
  get recentWaitMs(): number {
    return Date.now() - this.lastServed > WAIT_MEMORY_MS ? 0 : Math.round(this.waitMs);
  }

  /** Calls waiting right now (for status and metrics). */
  get waiting(): number {
    return this.urgent.length + this.queue.length;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }

  private pump(): void {
    if (this.timer || this.taking) return;
    const now = Date.now();
    this.refill(now);
    while (this.waiting > 0 && now >= this.pausedUntil && this.tokens >= 1) {
      if (this.shared) {
        this.takeShared(this.shared);
        return;
      }
      this.serve(now);
    }
    if (this.waiting === 0) return;
    this.wait(Math.max(this.pausedUntil - now, ((1 - this.tokens) / this.perSecond) * 1000, 1));
  }

  /** Asks the shared bucket for the next call: served once it grants one, else asked again when it says. */
  private takeShared(shared: SharedBucket): void {
    this.taking = true;
    shared.take().then(
      (waitMs) => {
        this.taking = false;
        if (waitMs > 0) return this.wait(waitMs);
        const now = Date.now();
        this.refill(now);
        // A Retry-After that came in while Redis answered still holds every call.
        if (this.waiting > 0 && now >= this.pausedUntil) this.serve(now);
        this.pump();
      },
      () => {
        // The shared store is unreachable: serve by the local bucket rather than stop every link.
        this.taking = false;
        if (this.waiting > 0) this.serve(Date.now());
        this.pump();
      },
    );
  }

  private serve(now: number): void {
    this.tokens -= 1;
    const waiter = (this.urgent.shift() ?? this.queue.shift())!;
    this.waitMs += (now - waiter.since - this.waitMs) * WAIT_SMOOTHING;
    this.lastServed = now;
    waiter.resolve();
  }

  private wait(ms: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, ms);
  }
}
