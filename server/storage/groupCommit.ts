/**
 * Group commit: items added while a commit is queued or in flight are committed together by the next one.
 * SQLite storage uses it so that appends of every document waiting for the disk share one transaction and one
 * fsync, however many documents are being edited. Each `add` resolves with its own item's result, or rejects
 * with the error of the commit that carried it (all items of a failed commit fail: the caller retries).
 *
 * With `spacingMs`, a commit starts at most that long after the previous one started: an item added after a
 * quiet spell is committed at once, but while items keep coming faster than that they wait for the next
 * commit, so the number of commits (and fsyncs) per second stays bounded however fast edits arrive. The
 * price is that wait, at most `spacingMs`, on each item's acknowledgement, and only under load.
 */
export class GroupCommit<Item, Result> {
  private batch: { item: Item; resolve(result: Result): void; reject(error: unknown): void }[] = [];
  private queued = false;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** Settles after the last queued commit (commits run one after another through `schedule`). */
  private settled: Promise<void> = Promise.resolve();

  /**
   * @param commit writes a batch and returns one result per item, in order.
   * @param schedule runs a task when it may write (a write mutex); one task is queued at a time.
   */
  constructor(
    private readonly commit: (items: Item[]) => Promise<Result[]>,
    private readonly schedule: (task: () => Promise<void>) => Promise<void>,
    private readonly spacingMs = 0,
  ) {}

  /** Adds `item` to the next commit; resolves with its result once that commit is done. */
  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.batch.push({ item, resolve, reject });
      if (this.queued) return;
      this.queued = true;
      const wait = this.lastStart + this.spacingMs - performance.now();
      this.settled = new Promise<void>((done) => {
        const run = () => void this.schedule(() => this.flush()).then(done, done);
        if (wait <= 0) run();
        else setTimeout(run, wait);
      });
    });
  }

  /** Resolves once every item added so far has been committed or has failed. */
  idle(): Promise<void> {
    return this.settled;
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
