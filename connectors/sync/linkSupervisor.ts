import { randomUUID } from 'node:crypto';
import { ChangeFeeds } from './changeFeeds.ts';
import type { Connector } from './connector.ts';
import { linkIdOf } from './linkOrigin.ts';
import { defaultTiming, LinkRunner, type RunnerStatus, type RunnerTiming } from './linkRunner.ts';
import type { RetryPolicyOptions } from './retryPolicy.ts';
import type {
  ConnectorSource,
  InstanceChannel,
  LinkStore,
  LiveClientsLeft,
  LiveDocumentHold,
  LiveDocuments,
  SupervisedLink,
} from './supervisorPorts.ts';

// Renewed every 2 s on a timer of its own; a crashed instance's links are taken over once its leases lapse.
const LEASE_TTL_MS = 15_000;
const LEASE_RENEW_MS = 2_000;
const SCAN_INTERVAL_MS = 2_000;
/**
 * A live client report found on first sight of a link (just claimed here) counts only if it is this recent by
 * this instance's clock: reports come every scan, and the column keeps the last one forever, so an old value
 * is a session long over (holding for it, then handing over from the live state, would read web edits not yet
 * uploaded as deleted by any Word save made meanwhile). Far above any sane clock skew between instances.
 */
const FIRST_SIGHT_REPORT_MS = 30_000;

interface RunningLink {
  link: SupervisedLink;
  connector: Connector;
  runner: LinkRunner;
  live: LiveDocumentHold;
  begun: boolean;
}

export interface LinkSupervisorOptions {
  store: LinkStore;
  live: LiveDocuments;
  connectors: ConnectorSource;
  /** The channel to the other instances, when there are others (see `InstanceChannel`). */
  channel?: InstanceChannel;
  /**
   * How often each credential's change feed is read, how long push channels are asked for, and where each
   * provider's notifications go.
   */
  changeFeed: {
    intervalMs: number;
    channelLifetimeMs?: number | null;
    webhookAddress(provider: string): string | null;
  };
  /** Reports a failure the supervisor retries by itself (never a secret: errors are summarised by the caller). */
  warn(message: string, error: unknown, details?: Record<string, unknown>): void;
  /** Reports a step of a link's life worth an operator's notice (a hand-over from a suite's live client). */
  note?(message: string, details: Record<string, unknown>): void;
  /** What a suite's own live client is called in a link's status ("live in Word"); the provider id by default. */
  liveClientName?(provider: string): string;
  /** A running link's state changed (status, detail, or content synced): for the editor's status line. */
  onState?(link: SupervisedLink, state: RunnerStatus): void;
  timing?: RunnerTiming;
  retry?: RetryPolicyOptions;
  /** This instance's lease owner id (default: a random one). */
  instanceId?: string;
}

/**
 * The one link lifecycle (DESIGN section 3): runs the links this instance holds a lease on (one instance per
 * link), builds each link's LinkSync and LinkRunner, renews leases on their own timer, picks up due links
 * nobody runs, routes wake-ups (live changes, open sessions, remote change hints, change feeds) to the right
 * runners, and stops links that are dropped or whose lease was taken. Provider-neutral: it sees the world
 * through two ports, the link store and the live documents (`supervisorPorts.ts`).
 */
export class LinkSupervisor {
  readonly instanceId: string;
  readonly feeds: ChangeFeeds;
  private readonly running = new Map<string, RunningLink>();
  private readonly claiming = new Map<string, Promise<RunningLink | null>>();
  /** Documents changed here since the last scan, to flag for the links other instances run (one write a scan). */
  private readonly changedHere = new Set<string>();
  /** The cross-instance flags of each running link when this instance last looked. */
  private readonly seenFlags = new Map<
    string,
    { liveChangedAt: number | null; sessionsAt: number | null; liveClientsAt: number | null }
  >();
  private timer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> = Promise.resolve();
  private scanning: Promise<void> = Promise.resolve();

  constructor(private readonly options: LinkSupervisorOptions) {
    this.instanceId = options.instanceId ?? `docbridge-${randomUUID()}`;
    this.feeds = new ChangeFeeds({
      warn: (message, error) => options.warn(message, error),
      intervalMs: options.changeFeed.intervalMs,
      channelLifetimeMs: options.changeFeed.channelLifetimeMs ?? null,
      webhookAddress: options.changeFeed.webhookAddress,
      onChanged: (provider, remoteId) => this.remoteChanged(provider, remoteId),
    });
    options.channel?.onLiveClientsLeft((notice) => this.liveClientsLeftElsewhere(notice));
  }

  start(): void {
    this.feeds.start();
    this.leaseTimer = setInterval(() => {
      this.renewing = this.renewing
        .then(() => this.renewLeases())
        .catch((error: unknown) => this.options.warn('lease renewal failed', error));
    }, LEASE_RENEW_MS);
    this.timer = setInterval(() => {
      this.scanning = this.scanning.then(() => this.scanSafely());
    }, SCAN_INTERVAL_MS);
    this.scanning = this.scanSafely();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.renewing;
    await this.scanning;
    await this.flagLiveChanges();
    await this.feeds.stop();
    await Promise.all([...this.running.values()].map((running) => this.release(running)));
  }

  /** Starts running a link this instance has just created (or found without a runner). */
  async launch(link: SupervisedLink): Promise<void> {
    const running = await this.claim(link);
    if (running) void this.begin(running);
  }

  /** Stops running a link (deleted by an admin). */
  async drop(linkId: string): Promise<void> {
    const running = this.running.get(linkId);
    if (running) await this.release(running);
  }

  /** Stops every link using a credential (deleted: with `force`, its links went with it). */
  async dropCredential(tenant: string, credentialId: string): Promise<void> {
    const using = [...this.running.values()].filter(
      ({ link }) => link.tenant === tenant && link.credentialId === credentialId,
    );
    await Promise.all(using.map((running) => this.release(running)));
  }

  /** Clears a quarantine and runs the link again from the remote. */
  async resync(link: SupervisedLink): Promise<void> {
    await this.drop(link.id);
    await this.options.store.setStatus(link, 'linking', 'resync requested');
    await this.launch({ ...link, consecutiveFailures: 0 });
  }

  /**
   * The live document changed; `origin` says who changed it. Links run here are told directly (except the
   * link that made the change); links of the document run by another instance are flagged in the store by
   * the next scan (one statement for every document changed since the last one, not a write per document:
   * on SQLite every write is a round trip to the writer thread), and their holder's scan passes it on.
   */
  liveChanged(document: string, origin: unknown): void {
    const from = linkIdOf(origin);
    for (const { link, runner } of this.running.values()) {
      if (link.doc === document && link.id !== from) runner.liveChanged();
    }
    const relayed = origin === 'redis' || (origin as { source?: unknown } | null)?.source === 'redis';
    if (from !== null || relayed) return;
    this.changedHere.add(document);
  }

  /** How many web sessions hold `document` open on this instance. */
  sessions(document: string, count: number): void {
    for (const { link, runner } of this.running.values())
      if (link.doc === document) runner.setWebSessions(count);
  }

  /**
   * How many of `provider`'s own live clients (the Word add-in) hold `document` on this instance. While any
   * does (here or on another instance), the document's links of that provider hold their uploads; when the
   * last leaves, they resume from `stateAtEnd` (the document as that client left it), and the other
   * instances are told at once: the links of the document they run hand over without waiting for this
   * instance's reports to run out.
   */
  liveClients(document: string, provider: string, count: number, stateAtEnd: Uint8Array | null): void {
    for (const { link, runner } of this.running.values()) {
      if (link.doc === document && link.provider === provider)
        runner.setLiveClients(count, this.liveClientName(provider), stateAtEnd);
    }
    if (count === 0 && stateAtEnd)
      this.options.channel?.liveClientsLeft({ doc: document, provider, stateAtEnd, endedAt: Date.now() });
  }

  /** Another instance says the last of `provider`'s live clients on a document left it. */
  private liveClientsLeftElsewhere({ doc, provider, stateAtEnd, endedAt }: LiveClientsLeft): void {
    for (const { link, runner } of this.running.values()) {
      if (link.doc !== doc || link.provider !== provider) continue;
      const held = runner.held;
      runner.remoteLiveClientsLeft({ stateAtEnd, endedAt });
      if (held && !runner.held)
        this.options.note?.('live client left on another instance: handing over to file mode', {
          link: link.id,
        });
    }
  }

  /** A change feed or webhook says this remote file changed. */
  remoteChanged(provider: string, remoteId: string): void {
    for (const { link, runner } of this.running.values()) {
      if (link.provider === provider && link.remoteId === remoteId) runner.remoteChanged();
    }
  }

  /** The state of the links of `document` that run here (for the status pushed to its editors). */
  statesOf(document: string): { link: SupervisedLink; state: RunnerStatus }[] {
    return [...this.running.values()]
      .filter(({ link }) => link.doc === document)
      .map(({ link, runner }) => ({ link, state: { ...runner.state } }));
  }

  /**
   * Renews the leases this instance holds, on its own timer so that nothing slow elsewhere (a scan waiting
   * for the remote) can let them lapse. A lapsed lease nobody took is simply taken back, keeping the runner
   * and its in-memory state; only a lease another instance now holds stops the runner here.
   */
  private async renewLeases(): Promise<void> {
    const { store } = this.options;
    for (const running of [...this.running.values()]) {
      const { id } = running.link;
      const held =
        (await store.renewLease(id, this.instanceId, LEASE_TTL_MS)) ||
        (await store.acquireLease(id, this.instanceId, LEASE_TTL_MS));
      if (!held && this.running.get(id) === running) {
        this.options.warn('lost the lease on a link; another instance runs it now', null, { link: id });
        this.running.delete(id);
        await running.runner.stop();
        await running.live.release();
      }
    }
  }

  private scanSafely(): Promise<void> {
    return this.scan().catch((error: unknown) => this.options.warn('link scan failed', error));
  }

  private async scan(): Promise<void> {
    const { store } = this.options;
    const claimed: RunningLink[] = [];
    for (const link of await store.listDue(100)) {
      if (this.running.has(link.id) || this.claiming.has(link.id)) continue;
      const running = await this.claim(link).catch((error: unknown) => {
        this.options.warn('could not start a link', error, { link: link.id });
        return null;
      });
      if (running) claimed.push(running);
    }
    // Live changes seen by other instances on documents whose links run here.
    try {
      for (const flag of await store.crossInstanceFlags(this.instanceId)) {
        const seen = this.seenFlags.get(flag.id);
        this.seenFlags.set(flag.id, flag);
        const runner = this.running.get(flag.id)?.runner;
        // A flag older than this instance's claim costs one push check that finds nothing to do.
        if (flag.liveChangedAt !== null && flag.liveChangedAt !== seen?.liveChangedAt) runner?.liveChanged();
        if (flag.sessionsAt !== null && flag.sessionsAt !== seen?.sessionsAt) runner?.remoteSessions();
        const link = this.running.get(flag.id)?.link;
        if (
          link &&
          flag.liveClientsAt !== null &&
          flag.liveClientsAt !== seen?.liveClientsAt &&
          (seen || recent(flag.liveClientsAt))
        )
          runner?.remoteLiveClients(this.liveClientName(link.provider), flag.liveClientsAt);
      }
    } finally {
      // Links claimed here begin only now: one whose suite's live client is on another instance begins held
      // (a plain first pull would apply again a save holding what that client mirrored).
      for (const running of claimed) void this.begin(running);
    }
    await this.flagLiveChanges();
    // Web sessions open here on documents whose links run elsewhere: tell their holders (every few seconds).
    const runningDocs = new Set([...this.running.values()].map(({ link }) => link.doc));
    const open = this.options.live.openDocuments().filter((doc) => !runningDocs.has(doc));
    await store.markRemoteSessions(open, this.instanceId);
    const liveClients = this.options.live
      .liveClients()
      .filter(
        ({ doc, provider }) =>
          ![...this.running.values()].some(({ link }) => link.doc === doc && link.provider === provider),
      );
    await store.markRemoteLiveClients(liveClients, this.instanceId);
    await this.reconcileFeeds();
  }

  /** Flags the documents changed here since the last scan for the holders of their links elsewhere. */
  private async flagLiveChanges(): Promise<void> {
    if (this.changedHere.size === 0) return;
    const changed = [...this.changedHere];
    this.changedHere.clear();
    await this.options.store.markLiveChanged(changed, this.instanceId).catch((error: unknown) => {
      for (const doc of changed) this.changedHere.add(doc);
      this.options.warn('could not flag live changes', error);
    });
  }

  /** One change feed per credential in use here (opened as soon as its first link runs). */
  private async reconcileFeeds(): Promise<void> {
    type Opener = () => ReturnType<NonNullable<Connector['openChangeFeed']>>;
    const wanted = new Map<string, { provider: string; open: Opener }>();
    for (const { link, connector } of this.running.values()) {
      wanted.set(`${link.tenant}\u0000${link.credentialId}`, {
        provider: link.provider,
        open: () => connector.openChangeFeed?.(),
      });
    }
    await this.feeds.reconcile(wanted);
  }

  /**
   * A link that never completed a sync (no remote revision stored) starts with its initial mode; any other
   * resumes (a pull that also settles a write left pending by a crash, then a push).
   */
  private begin(running: RunningLink): Promise<void> {
    if (running.begun) return Promise.resolve();
    running.begun = true;
    return running.link.remoteRev === null
      ? running.runner.initialize(running.link.initialMode ?? 'remote')
      : running.runner.start();
  }

  /** Takes the lease and builds the runner once, even when a scan and an API call claim the link together. */
  private claim(link: SupervisedLink): Promise<RunningLink | null> {
    const running = this.running.get(link.id);
    if (running) return Promise.resolve(running);
    let claiming = this.claiming.get(link.id);
    if (!claiming) {
      claiming = this.build(link).finally(() => this.claiming.delete(link.id));
      this.claiming.set(link.id, claiming);
    }
    return claiming;
  }

  private async build(link: SupervisedLink): Promise<RunningLink | null> {
    const { store } = this.options;
    if (!(await store.acquireLease(link.id, this.instanceId, LEASE_TTL_MS))) return null;
    const state = await store.load(link);
    const connector = await this.options.connectors(link);
    const live = this.options.live.attach(link.doc, link.id);
    const persistence = store.persistence(link, this.instanceId);
    // The sync engine (with the schema and y-prosemirror) loads with the first link this instance runs.
    const { LinkSync } = await import('./linkSync.ts');
    const sync = new LinkSync(
      { linkId: link.id, remoteId: link.remoteId },
      connector,
      live,
      persistence,
      state,
    );
    const runner = new LinkRunner(
      sync,
      persistence,
      this.options.timing ?? defaultTiming,
      this.options.retry,
      (step) => live.around(step),
      link.consecutiveFailures,
      (runnerState) => this.options.onState?.(link, runnerState),
    );
    const running: RunningLink = { link, connector, runner, live, begun: false };
    this.running.set(link.id, running);
    runner.setWebSessions(this.options.live.sessions(link.doc));
    if (this.options.live.liveClients().some((c) => c.doc === link.doc && c.provider === link.provider))
      runner.setLiveClients(1, this.liveClientName(link.provider), null);
    this.reconcileFeeds().catch((error: unknown) => this.options.warn('could not open a change feed', error));
    return running;
  }

  private liveClientName(provider: string): string {
    return this.options.liveClientName?.(provider) ?? provider;
  }

  private async release(running: RunningLink): Promise<void> {
    this.running.delete(running.link.id);
    await running.runner.stop();
    await running.live.release();
    await this.options.store.releaseLease(running.link.id, this.instanceId);
  }
}

/** Whether a live client report (another instance's clock) is recent enough to act on at first sight. */
function recent(reportedAt: number): boolean {
  return Date.now() - reportedAt < FIRST_SIGHT_REPORT_MS;
}
