/**
 * The write-ahead queue of one loaded document. Updates are appended to storage, consecutive ones in one
 * transaction (group commit), and `whenDurable()` resolves once everything pushed before the call is
 * committed. A failed write is retried with capped back-off and nothing behind it is reported durable, so a
 * client is never told "saved" for an edit the database did not take.
 *
 * By default one append is in flight at a time and updates pushed meanwhile wait for it, then go together
 * (the batching a storage without a group commit of its own needs). With `pipelined` (a storage that
 * `groupsAppends`), every update is handed over when pushed, several appends are in flight, and the storage
 * groups them. Acknowledgements follow the push order either way: an append counts once every earlier one
 * has committed. A retried append may then commit after a later one, which a Yjs update log allows (updates
 * apply in any order).
 */
export class DurableQueue {
  private pending: { update: Uint8Array; at: number }[] = [];
  /** Appends handed to storage and not yet counted, in push order. */
  private inFlight: { count: number; done: boolean }[] = [];
  /** Appends whose last attempt failed and that are waiting to retry. */
  private failing = 0;
  private pushed = 0;
  private committed = 0;
  private waiters: { target: number; resolve: () => void }[] = [];

  constructor(
    /** Appends `updates` durably; `arrivedAt` is when the oldest of them was pushed (performance.now()). */
    private readonly write: (updates: Uint8Array[], arrivedAt: number) => Promise<void>,
    private readonly hooks: {
      onCommitted?: (latenciesMs: number[]) => void;
      onWriteFailed?: (error: unknown, attempt: number) => void;
    } = {},
    private readonly options: { pipelined?: boolean; maxBatch?: number } = {},
  ) {}

  push(update: Uint8Array): void {
    this.pending.push({ update, at: performance.now() });
    this.pushed += 1;
    this.handOver();
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

  private handOver(): void {
    // While an append keeps failing (a full disk), what comes after waits here as one batch instead of
    // each update retrying on its own.
    const pipelined = this.options.pipelined && this.failing === 0;
    while (this.pending.length > 0 && (pipelined || this.inFlight.length === 0)) {
      const batch = this.pending.splice(0, this.options.maxBatch ?? 500);
      const append = { count: batch.length, done: false };
      this.inFlight.push(append);
      void this.writeUntilDone(batch, append);
    }
  }

  private async writeUntilDone(
    batch: { update: Uint8Array; at: number }[],
    append: { count: number; done: boolean },
  ): Promise<void> {
    const updates = batch.map((entry) => entry.update);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.write(updates, batch[0]!.at);
        if (attempt > 1) this.failing -= 1;
        break;
      } catch (error) {
        if (attempt === 1) this.failing += 1;
        this.hooks.onWriteFailed?.(error, attempt);
        await new Promise((r) => setTimeout(r, Math.min(5000, 50 * 2 ** Math.min(attempt, 7))));
      }
    }
    const now = performance.now();
    this.hooks.onCommitted?.(batch.map((entry) => now - entry.at));
    append.done = true;
    while (this.inFlight[0]?.done) this.committed += this.inFlight.shift()!.count;
    this.release();
    this.handOver();
  }

  private release(): void {
    const ready = this.waiters.filter((w) => w.target <= this.committed);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.target > this.committed);
    for (const waiter of ready) waiter.resolve();
  }
}
