/**
 * Group commit: items added while a commit is queued or in flight are committed together by the next one.
 * SQLite storage uses it so that appends of every document waiting for the disk share one transaction and one
 * fsync, however many documents are being edited. Each `add` resolves with its own item's result, or rejects
 * with the error of the commit that carried it (all items of a failed commit fail: the caller retries).
 *
 * With `spacingMs`, a commit starts at most that long after the previous one started: an item added after a
 * quiet spell is committed at once, but while items keep coming faster than that they wait for the next
 * commit, so the number of commits (and fsyncs) per second stays bounded however fast edits arrive. No item
 * waits more than `spacingMs` from its arrival, though: a caller that held an item back (a document's write
 * queue retrying a failed append) passes when the item arrived, and an item that has already waited that long
 * is committed at once. So commits start about twice per spacing at most, and an item waits at most
 * `spacingMs` (plus the commits ahead of it), and only under load.
 */
export class GroupCommit<Item, Result> {
  private batch: { item: Item; resolve(result: Result): void; reject(error: unknown): void }[] = [];
  /** A commit is waiting for its time (`timer`) or for `schedule`; it will take every item added meanwhile. */
  private queued = false;
  private timer: NodeJS.Timeout | null = null;
  /** When the waiting commit is due (performance.now() clock). */
  private due = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Settles after the last queued commit (commits run one after another through `schedule`). */
  private settled: Promise<void> = Promise.resolve();
  private settle: () => void = () => {};

  /**
   * @param commit writes a batch and returns one result per item, in order.
   * @param schedule runs a task when it may write (a write mutex); one task is queued at a time.
   */
  constructor(
    private readonly commit: (items: Item[]) => Promise<Result[]>,
    private readonly schedule: (task: () => Promise<void>) => Promise<void>,
    private readonly spacingMs = 0,
  ) {}

  /**
   * Adds `item` to the next commit; resolves with its result once that commit is done. `arrivedAt`
   * (performance.now() clock): when the item reached the caller, if it was held back before this call.
   */
  add(item: Item, arrivedAt = performance.now()): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.batch.push({ item, resolve, reject });
      const due = Math.min(this.lastStart, arrivedAt) + this.spacingMs;
      if (this.queued) {
        // Already handed to `schedule`, or due no later than this item needs: it takes this item too.
        if (this.timer === null || due >= this.due) return;
        clearTimeout(this.timer);
      } else {
        this.queued = true;
        this.settled = new Promise<void>((done) => (this.settle = done));
      }
      this.due = due;
      const wait = due - performance.now();
      if (wait <= 0) this.start();
      else this.timer = setTimeout(() => this.start(), wait);
    });
  }

  /** Resolves once every item added so far has been committed or has failed. */
  idle(): Promise<void> {
    return this.settled;
  }

  private start(): void {
    this.timer = null;
    const done = this.settle;
    void this.schedule(() => this.flush()).then(done, done);
  }

  private async flush(): Promise<void> {
    this.queued = false;
    this.lastStart = performance.now();
    const batch = this.batch;
    this.batch = [];
    let results: Result[];
    try {
      results = await this.commit(batch.map((entry) => entry.item));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    for (const [index, entry] of batch.entries()) entry.resolve(results[index]!);
  }
}
