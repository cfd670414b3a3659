import type { LinkPersistence, LinkStatus } from './linkState.ts';
import type { InitialMode, LinkSync, LiveClientEnd, PullOutcome } from './linkSync.ts';
import { decideRetry, defaultRetryPolicy, type RetryPolicyOptions } from './retryPolicy.ts';

export interface RunnerTiming {
  /** Push this long after the last live change... */
  pushDebounceMs: number;
  /** ...but no later than this after the first one of a burst. */
  pushMaxWaitMs: number;
  /** Poll interval while either side changed recently. */
  activePollMs: number;
  /** Longest poll interval while a web session is open; polling decays towards it when nothing changes. */
  quietPollMs: number;
  /** How long after the last change on either side a document counts as active. */
  activeWindowMs: number;
}

/** How long a report of web sessions on another instance keeps the document polled (they are re-reported every scan). */
const REMOTE_SESSIONS_TTL_MS = 10_000;
/**
 * How long a report of a live client on another instance holds uploads (re-reported every 2 s scan; a missed
 * scan or two must not end the hold). That instance says at once when the client left
 * (`remoteLiveClientsLeft`); this is the fallback when it cannot (it died): the hand-over then waits at most
 * this long after the last report.
 */
const REMOTE_LIVE_CLIENTS_TTL_MS = 7_000;

/** An open document polled at least this many times less often than asked says so in its status. */
const SLOW_POLL_FACTOR = 2;
/**
 * The intervals a status names (ms): the smallest at least the observed one, so the status (a database write
 * when it changes) does not flicker with every poll.
 */
const POLL_STEPS_MS = [100, 250, 500, 1000, 1500, 2000, 3000, 5000, 10_000, 15_000, 30_000, 60_000];

function pollStep(ms: number): number {
  return POLL_STEPS_MS.find((step) => step >= ms) ?? Math.ceil(ms / 60_000) * 60_000;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(ms < 1000 ? 2 : 1))} s`;
}

export const defaultTiming: RunnerTiming = {
  pushDebounceMs: 1000,
  pushMaxWaitMs: 2000,
  activePollMs: 1000,
  quietPollMs: 15_000,
  activeWindowMs: 60_000,
};

export interface RunnerStatus {
  status: LinkStatus;
  message: string | null;
  lastError: string | null;
  lastSyncedAt: number | null;
  nextRetryAt: number | null;
}

/**
 * Drives one link's LinkSync over time: pushes a debounced moment after live edits, polls the remote about
 * once a second while either side is active and less often as it stays quiet, stops polling an idle
 * document nobody has open (the change feed wakes it with `remoteChanged()`), runs one step at a time,
 * and turns failures into back-off or quarantine through the retry policy, reporting each state change.
 */
export class LinkRunner {
  private chain: Promise<void> = Promise.resolve();
  private pushTimer: NodeJS.Timeout | null = null;
  private pushBurstStart = 0;
  private pollTimer: NodeJS.Timeout | null = null;
  private pollInterval: number;
  private lastActivity = Date.now();
  private webSessions = 0;
  private remoteSessionsUntil = 0;
  /** The suite's own live clients (the Word add-in) on the document: here, and until when elsewhere. */
  private liveClients = 0;
  private remoteLiveClientsUntil = 0;
  /** When another instance last said its last live client left (its clock): earlier reports are stale. */
  private remoteLiveClientsEndedAt = Number.NEGATIVE_INFINITY;
  /**
   * When a live client was last known to hold the document (the time of another instance's report, or when
   * the last one here left): where a hand-over puts the end when nobody said when it was.
   */
  private liveSeenAt = Number.NEGATIVE_INFINITY;
  private liveClientName = '';
  private liveClientTimer: NodeJS.Timeout | null = null;
  /**
   * When the last poll ended, and (smoothed, while the document is open) how much longer than asked the time
   * between polls was (ms).
   */
  private lastPollAt = 0;
  private pollExtraMs: number | null = null;
  /** Whether uploads are held now (the last value seen, to notice the hand-over). */
  private holding = false;
  /** A hand-over to do at the next pull (kept through failures, so a retry never pulls the plain way). */
  private handOverDue: LiveClientEnd | null = null;
  private stopped = false;
  /**
   * Whether `start` or `initialize` was called: until then no step runs (the supervisor first learns whether a
   * live client holds the document elsewhere; what arrives meanwhile, the first step covers).
   */
  private begun = false;
  /** The last status written through `persistence.setStatus`, to skip writing the same one again. */
  private lastReported = '';
  /** Live changes wait to be pushed: set by a live change, cleared only by a push that went through. */
  private owesPush = false;
  /** The last state passed to `onState`, and whether a poll brought content since. */
  private lastNotified = '';
  private contentMoved = false;
  readonly state: RunnerStatus = {
    status: 'linking',
    message: null,
    lastError: null,
    lastSyncedAt: null,
    nextRetryAt: null,
  };

  constructor(
    private readonly sync: LinkSync,
    private readonly persistence: LinkPersistence,
    private readonly timing: RunnerTiming = defaultTiming,
    private readonly retry: RetryPolicyOptions = defaultRetryPolicy,
    /** Wraps every step, e.g. to hold the live document open while it runs. */
    private readonly around: (step: () => Promise<void>) => Promise<void> = (step) => step(),
    /** Consecutive failures the store has counted so far (a restart or a lease handover keeps them). */
    private failures = 0,
    /** Called with the state whenever what people are shown changes (status, detail, or new content synced). */
    private readonly onState: (state: RunnerStatus) => void = () => {},
  ) {
    this.pollInterval = timing.activePollMs;
  }

  /** Starts a new link with `initialize` (see LinkSync), then runs as usual. */
  initialize(mode: InitialMode): Promise<void> {
    this.begun = true;
    return this.enqueue('linking', () => this.sync.initialize(mode));
  }

  /**
   * Begins with a pull (which also settles a write left pending by a crash), then a push of anything local;
   * while a live client holds the document, with the held pull alone (the hand-over pushes), and with the
   * hand-over if the client left before.
   */
  start(): Promise<void> {
    this.begun = true;
    return this.enqueue('pulling', async () => {
      if (this.held) {
        await this.sync.pullWhileLive();
        return;
      }
      if (this.handOverDue) await this.pull();
      else await this.sync.pull({ force: true });
      await this.sync.push();
    });
  }

  /** The live document changed (not by this link). */
  liveChanged(): void {
    if (this.stopped || this.state.status === 'quarantined') return;
    this.owesPush = true;
    this.touch();
    const now = Date.now();
    if (!this.pushTimer) this.pushBurstStart = now;
    if (this.pushTimer) clearTimeout(this.pushTimer);
    const due = Math.min(this.timing.pushDebounceMs, this.pushBurstStart + this.timing.pushMaxWaitMs - now);
    this.pushTimer = setTimeout(
      () => {
        this.pushTimer = null;
        void this.enqueue(this.held ? null : 'pushing', () => this.pushOwed());
      },
      Math.max(0, due),
    );
  }

  /** A hint that the remote changed (change feed, webhook): pull soon. */
  remoteChanged(): void {
    if (this.stopped || this.state.status === 'quarantined') return;
    this.touch();
    this.schedulePoll(0);
  }

  /** Another instance has web sessions open on the document: keep polling a while, as if they were here. */
  remoteSessions(): void {
    this.remoteSessionsUntil = Date.now() + REMOTE_SESSIONS_TTL_MS;
    if (!this.pollTimer) this.schedulePoll(this.pollInterval);
  }

  /**
   * How many of the suite's own live clients (the Word add-in) hold the document here. While any does, here or
   * elsewhere, nothing is uploaded (the client writes into the open file itself; Graph would answer 423) and
   * polls only adopt remote revisions that match the live content. When the last leaves, file mode resumes
   * from `stateAtEnd` (see `LinkSync.handOver`), then pushes what is owed.
   */
  setLiveClients(count: number, name: string, stateAtEnd: Uint8Array | null): void {
    this.liveClients = count;
    this.liveClientName = name;
    if (count > 0) {
      this.holdChanged(null);
      return;
    }
    this.liveSeenAt = Math.max(this.liveSeenAt, Date.now());
    this.holdChanged({ stateAtEnd, endedAt: this.liveSeenAt });
  }

  /**
   * Another instance has the suite's live client on the document (`reportedAt`: when it said so, its clock):
   * hold uploads a while, as if it were here. A report older than that instance's word that the client left
   * (`remoteLiveClientsLeft`) is not a new session.
   */
  remoteLiveClients(name: string, reportedAt: number): void {
    if (reportedAt <= this.remoteLiveClientsEndedAt) return;
    this.liveSeenAt = Math.max(this.liveSeenAt, reportedAt);
    this.liveClientName = name;
    this.remoteLiveClientsUntil = Date.now() + REMOTE_LIVE_CLIENTS_TTL_MS;
    if (this.liveClientTimer) clearTimeout(this.liveClientTimer);
    this.liveClientTimer = setTimeout(() => {
      this.liveClientTimer = null;
      // That instance fell silent (it died): the client was last seen at its last report.
      this.holdChanged(null);
    }, REMOTE_LIVE_CLIENTS_TTL_MS + 10);
    this.holdChanged(null);
  }

  /**
   * The instance that had the suite's live client on the document says the last one left (`end`: the state
   * it left the document in, and when, by that instance's clock): the hold from there ends now instead of
   * when its reports run out, and file mode resumes from that state.
   */
  remoteLiveClientsLeft(end: LiveClientEnd): void {
    this.remoteLiveClientsEndedAt = Math.max(this.remoteLiveClientsEndedAt, end.endedAt);
    this.liveSeenAt = Math.max(this.liveSeenAt, end.endedAt);
    this.remoteLiveClientsUntil = 0;
    if (this.liveClientTimer) clearTimeout(this.liveClientTimer);
    this.liveClientTimer = null;
    this.holdChanged(end);
  }

  /** True while a live client of the suite holds the document (uploads wait). */
  get held(): boolean {
    return this.liveClients > 0 || Date.now() < this.remoteLiveClientsUntil;
  }

  /** Notices the hold starting or ending; `end`: where and when the live client left, when it ended. */
  private holdChanged(end: LiveClientEnd | null): void {
    const held = this.held;
    if (held === this.holding || this.stopped) return;
    this.holding = held;
    if (held) {
      // Says so at once; the next step keeps saying it.
      void this.enqueue(null, async () => {});
      return;
    }
    this.handOverDue = end ?? { stateAtEnd: null, endedAt: this.liveSeenAt };
    void this.enqueue('pushing', async () => {
      await this.pull();
      await this.pushOwed();
    });
  }

  /** How many web sessions have the document open: an open document keeps being polled. */
  setWebSessions(count: number): void {
    this.webSessions = count;
    if (count > 0) this.schedulePoll(this.pollInterval);
  }

  /** Stops all timers and waits for the step in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pushTimer) clearTimeout(this.pushTimer);
    if (this.pollTimer) clearTimeout(this.pollTimer);
    if (this.liveClientTimer) clearTimeout(this.liveClientTimer);
    await this.chain;
  }

  /** Resolves when no step is running or queued (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  /**
   * Pushes the live content; a failure leaves the push owed, for the retry or the next poll. While a live
   * client holds the document nothing is uploaded and the push stays owed, for the hand-over.
   */
  private async pushOwed(): Promise<void> {
    if (this.held) return;
    await this.sync.push();
    this.owesPush = false;
  }

  /**
   * A pull: while a live client holds the document, one that only adopts a remote matching the live content;
   * right after, the hand-over (until it succeeded once); otherwise the plain pull.
   */
  private async pull(): Promise<PullOutcome> {
    if (this.held) return this.sync.pullWhileLive();
    const due = this.handOverDue;
    if (!due) return this.sync.pull({ urgent: this.open() });
    await this.sync.handOver(due);
    this.handOverDue = null;
    return 'merged';
  }

  private touch(): void {
    this.lastActivity = Date.now();
    this.pollInterval = this.timing.activePollMs;
  }

  private schedulePoll(delay: number): void {
    if (this.stopped || this.state.status === 'quarantined') return;
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      // A poll says nothing up front: one that finds the same revision writes nothing at all.
      void this.enqueue(null, async () => {
        const outcome = await this.pull();
        this.pollDone(delay);
        if (outcome !== 'unchanged') {
          this.touch();
          this.contentMoved = true;
        } else if (!(this.open() && this.sync.probes)) {
          // Quiet: poll less often. Not an open document whose remote has a change probe: there an unchanged
          // poll costs one probe, not the scarce read quota, so people in it see remote edits within a second.
          this.pollInterval = Math.min(this.pollInterval * 2, this.timing.quietPollMs);
        }
        // A poll may run in place of a retry (a wake-up reschedules it): a push that failed is not forgotten.
        if (this.owesPush) await this.pushOwed();
      });
    }, delay);
  }

  /**
   * Measures how often an open document is really polled (a poll scheduled `delay` ms after the last one
   * just ended): the credential's quota is shared by all its documents, so polls can come less often than the
   * runner asks, and the status must say so (reference G).
   */
  private pollDone(delay: number): void {
    const now = Date.now();
    if (this.open() && this.lastPollAt > 0) {
      // What the poll took beyond the delay it was scheduled with: the quota's queue and the remote's answer.
      const extra = Math.max(0, now - this.lastPollAt - delay);
      this.pollExtraMs =
        this.pollExtraMs === null ? extra : this.pollExtraMs + (extra - this.pollExtraMs) * 0.3;
    } else if (!this.open()) this.pollExtraMs = null;
    this.lastPollAt = now;
  }

  /** The status detail: a live client holding uploads, or an open document polled less often than asked. */
  private detail(): string | null {
    if (this.held) return `live in ${this.liveClientName}: uploads wait until it closes`;
    const extra = this.pollExtraMs;
    const asked = this.pollInterval;
    if (extra === null || !this.open() || asked + extra < SLOW_POLL_FACTOR * asked) return null;
    // The quota's queue explains most of the extra time, or the remote itself is slow to answer.
    const why =
      this.sync.quotaWaitMs() * 2 >= extra
        ? "the credential's request quota is shared with its other linked documents"
        : 'the remote is slow to answer';
    return `checked for remote changes every ${seconds(pollStep(asked + extra))} instead of every ${seconds(asked)}: ${why}`;
  }

  /** Someone has the document open, here or on another instance: its reads go before background ones. */
  private open(): boolean {
    return this.webSessions > 0 || Date.now() < this.remoteSessionsUntil;
  }

  /** After each step: poll again if the document is active or open, else wait for a hint. */
  private planNextPoll(): void {
    const active = Date.now() - this.lastActivity < this.timing.activeWindowMs;
    if (active || this.open()) this.schedulePoll(this.pollInterval);
  }

  /** Queues a step, reporting `status` before it runs (null: only its outcome, if that changes anything). */
  private enqueue(status: LinkStatus | null, step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (!this.begun || this.stopped || this.state.status === 'quarantined') return;
      if (status) await this.report(status, null);
      try {
        await this.around(step);
        this.failures = 0;
        this.state.lastSyncedAt = Date.now();
        this.state.lastError = null;
        this.state.nextRetryAt = null;
        await this.report('synced', this.detail());
        this.planNextPoll();
      } catch (error) {
        const summary = error instanceof Error ? error.message : String(error);
        this.failures = this.persistence.countFailure
          ? await this.persistence.countFailure(summary).catch(() => this.failures + 1)
          : this.failures + 1;
        const decision = decideRetry(error, this.failures, this.retry);
        this.state.lastError = decision.reason;
        if (decision.action === 'quarantine') {
          this.state.nextRetryAt = null;
          await this.report('quarantined', decision.reason);
          return;
        }
        this.state.nextRetryAt = Date.now() + decision.delayMs;
        await this.report('error', `retrying in ${Math.ceil(decision.delayMs / 1000)} s`);
        if (this.pollTimer) clearTimeout(this.pollTimer);
        this.pollTimer = setTimeout(() => {
          this.pollTimer = null;
          void this.enqueue('pulling', async () => {
            await this.pull();
            await this.pushOwed();
          });
        }, decision.delayMs);
      }
    });
    // A failure to record a status must not wedge the link: the next step reports again.
    this.chain = this.chain.catch(() => {});
    return this.chain;
  }

  /**
   * Records a state change. A report equal to the last one written is not written again (the in-memory
   * `state`, with its `lastSyncedAt`, is what listeners read), so a quiet link costs the database nothing.
   */
  private async report(status: LinkStatus, message: string | null): Promise<void> {
    this.state.status = status;
    this.state.message = message;
    const key = JSON.stringify([status, message, this.state.lastError, this.state.nextRetryAt]);
    if (key !== this.lastNotified || this.contentMoved) this.onState({ ...this.state });
    this.lastNotified = key;
    this.contentMoved = false;
    if (key === this.lastReported) return;
    await this.persistence.setStatus(status, {
      message: message ?? undefined,
      error: this.state.lastError,
      nextAttemptAt: this.state.nextRetryAt,
    });
    this.lastReported = key;
  }
}
