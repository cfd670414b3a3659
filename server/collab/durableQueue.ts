/**
 * The write-ahead queue of one loaded document. Updates are appended to storage in order, consecutive ones in
 * one transaction (group commit), and `whenDurable()` resolves once everything pushed before the call is
 * committed. A failed write is retried with capped back-off and nothing behind it is reported durable, so a
 * client is never told "saved" for an edit the database did not take.
 */
export class DurableQueue {
  private pending: { update: Uint8Array; at: number }[] = [];
  private pushed = 0;
  private committed = 0;
  private waiters: { target: number; resolve: () => void }[] = [];
  private running = false;
  private failures = 0;

  constructor(
    /** Appends `updates` durably; `arrivedAt` is when the oldest of them was pushed (performance.now()). */
    private readonly write: (updates: Uint8Array[], arrivedAt: number) => Promise<void>,
    private readonly hooks: {
      onCommitted?: (latenciesMs: number[]) => void;
      onWriteFailed?: (error: unknown, attempt: number) => void;
    } = {},
    private readonly maxBatch = 500,
  ) {}

  push(update: Uint8Array): void {
    this.pending.push({ update, at: performance.now() });
    this.pushed += 1;
    void this.drain();
  }

  /** Resolves when every update pushed so far is committed. */
  whenDurable(): Promise<void> {
    const target = this.pushed;
    if (this.committed >= target) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ target, resolve }));
  }

  /** True when nothing is waiting to be written. */
  get idle(): boolean {
    return this.committed === this.pushed;
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.slice(0, this.maxBatch);
        try {
          await this.write(
            batch.map((entry) => entry.update),
            batch[0]!.at,
          );
        } catch (error) {
          this.failures += 1;
          this.hooks.onWriteFailed?.(error, this.failures);
          await new Promise((r) => setTimeout(r, Math.min(5000, 50 * 2 ** Math.min(this.failures, 7))));
          continue;
        }
        this.failures = 0;
        this.pending.splice(0, batch.length);
        this.committed += batch.length;
        const now = performance.now();
        this.hooks.onCommitted?.(batch.map((entry) => now - entry.at));
        this.release();
      }
    } finally {
      this.running = false;
    }
  }

  private release(): void {
    const ready = this.waiters.filter((w) => w.target <= this.committed);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.target > this.committed);
    for (const waiter of ready) waiter.resolve();
  }
}
