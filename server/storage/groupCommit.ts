/**
 * Group commit: items added while a commit is queued or in flight are committed together by the next one.
 * SQLite storage uses it so that appends of every document waiting for the disk share one transaction and one
 * fsync, however many documents are being edited. Each `add` resolves with its own item's result, or rejects
 * with the error of the commit that carried it (all items of a failed commit fail: the caller retries).
 */
export class GroupCommit<Item, Result> {
  private batch: { item: Item; resolve(result: Result): void; reject(error: unknown): void }[] = [];
  private queued = false;

  /**
   * @param commit writes a batch and returns one result per item, in order.
   * @param schedule runs a task when it may write (a write mutex); one task is queued at a time.
   */
  constructor(
    private readonly commit: (items: Item[]) => Promise<Result[]>,
    private readonly schedule: (task: () => Promise<void>) => Promise<void>,
  ) {}

  /** Adds `item` to the next commit; resolves with its result once that commit is done. */
  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.batch.push({ item, resolve, reject });
      if (this.queued) return;
      this.queued = true;
      void this.schedule(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    this.queued = false;
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
