import type { Redis } from 'ioredis';

export interface InstanceLivenessOptions {
  /** The Redis connection used for heartbeats (commands only; never a subscriber connection). */
  redis: Redis;
  /** Key namespace shared by every instance of one deployment. */
  prefix: string;
  /** This instance's identifier (the Redis extension's, so both name the same process). */
  id: string;
  /** How often this instance announces itself. */
  beatMs?: number;
  /** Silence after which an instance counts as dead: its alive key expires after this long. */
  lapseMs?: number;
  /** Called once per instance seen alive that has since lapsed, with the documents it had open. */
  onLapse: (deadId: string, openDocuments: string[]) => void;
  /** Called when a heartbeat round fails (Redis unreachable); the next round retries. */
  onError?: (error: unknown) => void;
}

/** How long a dead instance's list of open documents stays readable for the survivors. */
const OPEN_LIST_TTL_MS = 10 * 60_000;

/**
 * Tells the instances of one deployment when one of them dies. Each instance refreshes an alive key with a
 * short expiry (Redis's clock, so instance clocks never matter) and keeps the names of the documents it has
 * open in a set that outlives it; every instance remembers which peers it saw alive, and a peer whose alive
 * key has expired since is reported once through `onLapse`, with the documents it had open. That is the
 * moment a survivor must read the update log for those documents: the dead instance may have acknowledged
 * and committed edits that it never got to publish (docs/durability.md, "Across instances").
 */
export class InstanceLiveness {
  private readonly beatMs: number;
  private readonly lapseMs: number;
  private readonly open = new Set<string>();
  private seenAlive = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;

  constructor(private readonly options: InstanceLivenessOptions) {
    this.beatMs = options.beatMs ?? 500;
    this.lapseMs = options.lapseMs ?? 2000;
  }

  /** Announces this instance now and then every `beatMs`; resolves after the first announcement. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => {
      this.beating ??= this.beat().finally(() => {
        this.beating = null;
      });
    }, this.beatMs);
    this.timer.unref();
  }

  /**
   * Stops announcing and withdraws this instance's keys. Peers then treat it as lapsed and merge the log of its
   * documents, which after an orderly shutdown (everything published and committed) changes nothing.
   */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.beating;
    const { redis } = this.options;
    await redis
      .multi()
      .del(this.aliveKey(this.options.id), this.openKey(this.options.id))
      .srem(this.membersKey(), this.options.id)
      .exec()
      .catch(() => undefined);
  }

  /** Records that this instance holds `document` open, so survivors know to reconcile it if it dies. */
  noteOpened(document: string): void {
    this.open.add(document);
    void this.options.redis.sadd(this.openKey(this.options.id), document).catch(this.options.onError);
  }

  noteClosed(document: string): void {
    this.open.delete(document);
    void this.options.redis.srem(this.openKey(this.options.id), document).catch(this.options.onError);
  }

  private async beat(): Promise<void> {
    const { redis, id } = this.options;
    try {
      const multi = redis
        .multi()
        .set(this.aliveKey(id), '1', 'PX', this.lapseMs)
        .sadd(this.membersKey(), id)
        .smembers(this.membersKey());
      // The open set is rewritten whole each beat: a lost SADD/SREM (Redis briefly unreachable) heals itself.
      multi.del(this.openKey(id));
      if (this.open.size > 0) multi.sadd(this.openKey(id), ...this.open);
      multi.pexpire(this.openKey(id), OPEN_LIST_TTL_MS);
      const results = await multi.exec();
      const members = (results?.[2]?.[1] as string[] | undefined) ?? [];
      const others = members.filter((member) => member !== id);
      const alive = new Set<string>();
      if (others.length > 0) {
        const flags = await redis.mget(others.map((other) => this.aliveKey(other)));
        others.forEach((other, index) => {
          if (flags[index] !== null) alive.add(other);
        });
        const gone = others.filter((other) => !alive.has(other));
        if (gone.length > 0) await redis.srem(this.membersKey(), ...gone);
      }
      const lapsed = [...this.seenAlive].filter((peer) => !alive.has(peer));
      this.seenAlive = alive;
      for (const peer of lapsed) {
        const documents = await redis.smembers(this.openKey(peer));
        this.options.onLapse(peer, documents);
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private aliveKey(id: string): string {
    return `${this.options.prefix}#alive:${id}`;
  }

  private openKey(id: string): string {
    return `${this.options.prefix}#open:${id}`;
  }

  private membersKey(): string {
    return `${this.options.prefix}#instances`;
  }
}
