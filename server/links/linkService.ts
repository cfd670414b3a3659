import { randomUUID } from 'node:crypto';
import type { Hocuspocus } from '@hocuspocus/server';
import type { Connector } from '../../connectors/sync/connector.ts';
import { defaultTiming, LinkRunner, type RunnerTiming } from '../../connectors/sync/linkRunner.ts';
import type { LinkPersistence, LinkState } from '../../connectors/sync/linkState.ts';
import { LinkSync } from '../../connectors/sync/linkSync.ts';
import { type AdminStores, createAdminStores } from '../admin/adminStores.ts';
import type { LinkRecord } from '../admin/linkRecord.ts';
import type { SecretBox } from '../admin/secretBox.ts';
import { errorSummary } from '../collab/durability.ts';
import type { Logger } from '../logger.ts';
import type { Storage } from '../storage/storage.ts';
import { ChangeFeeds } from './changeFeeds.ts';
import type { ConnectorRegistry } from './connectorRegistry.ts';
import { LiveDocumentHandle } from './liveDocumentHandle.ts';

// Renewed every 2 s on a timer of its own; a crashed instance's links are taken over once its leases lapse.
const LEASE_TTL_MS = 15_000;
const LEASE_RENEW_MS = 2_000;
const SCAN_INTERVAL_MS = 2_000;

interface RunningLink {
  record: LinkRecord;
  connector: Connector;
  runner: LinkRunner;
  sync: LinkSync;
  begun: boolean;
}

export interface LinkServiceOptions {
  /** How often each credential's change feed is read, and where each provider's notifications go (null: none). */
  changeFeed: { intervalMs: number; webhookAddress(provider: string): string | null };
  storage: Storage;
  box: SecretBox;
  hocuspocus: Hocuspocus;
  connectors: ConnectorRegistry;
  logger: Logger;
  timing?: RunnerTiming;
}

/**
 * Runs the links this instance holds a lease on (one instance per link; DESIGN section 3): builds each
 * link's LinkSync and LinkRunner, renews leases, picks up links nobody runs, and routes wake-ups (live
 * changes, open sessions, remote change hints) to the right runners. Persistence goes through the link
 * sync store, fenced by the lease, with connector writes in the audit log.
 */
export class LinkService {
  readonly instanceId = `docbridge-${randomUUID()}`;
  private readonly running = new Map<string, RunningLink>();
  private readonly claiming = new Map<string, Promise<RunningLink | null>>();
  /** When each document's change was last flagged for other instances (throttle). */
  private readonly flagged = new Map<string, number>();
  /** The cross-instance flags of each running link when this instance last looked. */
  private readonly seenFlags = new Map<string, { liveChangedAt: number | null; sessionsAt: number | null }>();
  private readonly stores: AdminStores;
  private timer: NodeJS.Timeout | null = null;
  private leaseTimer: NodeJS.Timeout | null = null;
  private renewing: Promise<void> = Promise.resolve();
  private scanning: Promise<void> = Promise.resolve();
  readonly feeds: ChangeFeeds;

  constructor(private readonly options: LinkServiceOptions) {
    this.stores = createAdminStores(options.storage.sql, options.box);
    this.feeds = new ChangeFeeds({
      logger: options.logger,
      intervalMs: options.changeFeed.intervalMs,
      webhookAddress: options.changeFeed.webhookAddress,
      onChanged: (provider, remoteId) => this.remoteChanged(provider, remoteId),
    });
  }

  start(): void {
    this.feeds.start();
    this.leaseTimer = setInterval(() => {
      this.renewing = this.renewing
        .then(() => this.renewLeases())
        .catch((error: unknown) =>
          this.options.logger.warn({ err: errorSummary(error) }, 'lease renewal failed'),
        );
    }, LEASE_RENEW_MS);
    this.timer = setInterval(() => {
      this.scanning = this.scanning
        .then(() => this.scan())
        .catch((error: unknown) =>
          this.options.logger.warn({ err: errorSummary(error) }, 'link scan failed'),
        );
    }, SCAN_INTERVAL_MS);
    this.scanning = this.scan().catch((error: unknown) =>
      this.options.logger.warn({ err: errorSummary(error) }, 'link scan failed'),
    );
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.leaseTimer) clearInterval(this.leaseTimer);
    await this.renewing;
    await this.scanning;
    await this.feeds.stop();
    await Promise.all([...this.running.values()].map((link) => this.release(link)));
  }

  /** Starts running a link this instance has just created or found without a runner. */
  async launch(record: LinkRecord): Promise<void> {
    const link = await this.claim(record);
    if (link) void this.begin(link);
  }

  /**
   * A link that never completed a sync (no remote revision stored) starts with its initial mode; any other
   * resumes (a pull that also settles a write left pending by a crash, then a push).
   */
  private begin(link: RunningLink): Promise<void> {
    if (link.begun) return Promise.resolve();
    link.begun = true;
    return link.record.remoteRev === null
      ? link.runner.initialize(link.record.initialMode ?? 'remote')
      : link.runner.start();
  }

  /** Stops running a link (deleted by an admin). */
  async drop(linkId: string): Promise<void> {
    const link = this.running.get(linkId);
    if (link) await this.release(link);
  }

  /** Stops every link using a credential that was just deleted (with `force`, its links went with it). */
  async dropCredential(tenant: string, credentialId: string): Promise<void> {
    const using = [...this.running.values()].filter(
      (l) => l.record.tenant === tenant && l.record.credentialId === credentialId,
    );
    await Promise.all(using.map((link) => this.release(link)));
    this.options.connectors.forget(tenant, credentialId);
  }

  /** Clears a quarantine and runs the link again from the remote. */
  async resync(record: LinkRecord): Promise<void> {
    await this.drop(record.id);
    await this.stores.linkSync.report(record.tenant, record.id, {
      status: 'linking',
      detail: 'resync requested',
      error: null,
      nextAttemptAt: null,
    });
    const link = await this.claim(record);
    if (link) void this.begin(link);
  }

  /**
   * The live document changed; `origin` says who changed it. Links run here are told directly; links of the
   * document run by another instance are flagged in the database (at most once a second per document), and
   * their holder's scan passes it on.
   */
  liveChanged(document: string, origin: unknown): void {
    const from = (origin as { linkId?: unknown } | null)?.linkId;
    for (const link of this.running.values()) {
      if (link.record.doc === document && link.record.id !== from) link.runner.liveChanged();
    }
    if (
      from !== undefined ||
      origin === 'redis' ||
      (origin as { source?: unknown } | null)?.source === 'redis'
    )
      return;
    const last = this.flagged.get(document) ?? 0;
    if (Date.now() - last < 1000) return;
    this.flagged.set(document, Date.now());
    this.stores.linkSync
      .markLiveChanged(document, this.instanceId)
      .catch((error: unknown) =>
        this.options.logger.warn({ err: errorSummary(error) }, 'could not flag a live change'),
      );
  }

  /** How many web sessions hold `document` open on this instance. */
  sessions(document: string, count: number): void {
    for (const link of this.running.values())
      if (link.record.doc === document) link.runner.setWebSessions(count);
  }

  /** A change feed or webhook says this remote file changed. */
  remoteChanged(provider: string, remoteId: string): void {
    for (const link of this.running.values()) {
      if (link.record.provider === provider && link.record.remoteId === remoteId) link.runner.remoteChanged();
    }
  }

  /** The runner's view of a link this instance runs (status, counters), or null. */
  runnerOf(linkId: string): { runner: LinkRunner; sync: LinkSync } | null {
    return this.running.get(linkId) ?? null;
  }

  /** Renews held leases (dropping links whose lease was lost) and picks up due links nobody runs. */
  /**
   * Renews the leases this instance holds, on its own timer so that nothing slow elsewhere (a scan waiting
   * for the remote) can let them lapse. A lapsed lease nobody took is simply taken back, keeping the runner
   * and its in-memory knowledge; only a lease another instance now holds stops the runner here.
   */
  private async renewLeases(): Promise<void> {
    for (const link of [...this.running.values()]) {
      const { id } = link.record;
      const lease =
        (await this.stores.linkSync.renewLease(id, this.instanceId, LEASE_TTL_MS)) ??
        (await this.stores.linkSync.acquireLease(id, this.instanceId, LEASE_TTL_MS));
      if (!lease && this.running.get(id) === link) {
        this.options.logger.warn({ link: id }, 'lost the lease on a link; another instance runs it now');
        this.running.delete(id);
        await link.runner.stop();
      }
    }
  }

  private async scan(): Promise<void> {
    for (const record of await this.stores.linkSync.listDue(100)) {
      if (this.running.has(record.id) || this.claiming.has(record.id)) continue;
      const link = await this.claim(record).catch((error: unknown) => {
        this.options.logger.warn({ link: record.id, err: errorSummary(error) }, 'could not start a link');
        return null;
      });
      if (link) void this.begin(link);
    }
    // Live changes seen by other instances on documents whose links run here.
    for (const flag of await this.stores.linkSync.crossInstanceFlags(this.instanceId)) {
      const seen = this.seenFlags.get(flag.id);
      this.seenFlags.set(flag.id, flag);
      const runner = this.running.get(flag.id)?.runner;
      // A flag older than this instance's claim costs one push check that finds nothing to do.
      if (flag.liveChangedAt !== null && flag.liveChangedAt !== seen?.liveChangedAt) runner?.liveChanged();
      if (flag.sessionsAt !== null && flag.sessionsAt !== seen?.sessionsAt) runner?.remoteSessions();
    }
    // Web sessions open here on documents whose links run elsewhere: tell their holders (every few seconds).
    const runningDocs = new Set([...this.running.values()].map((link) => link.record.doc));
    const open = [...this.options.hocuspocus.documents]
      .filter(([name, document]) => document.getConnections().length > 0 && !runningDocs.has(name))
      .map(([name]) => name);
    await this.stores.linkSync.markRemoteSessions(open, this.instanceId);
    // One change feed per credential in use here.
    const wanted = new Map<
      string,
      { provider: string; open: () => ReturnType<NonNullable<Connector['openChangeFeed']>> | undefined }
    >();
    for (const { record, connector } of this.running.values()) {
      wanted.set(`${record.tenant}\u0000${record.credentialId}`, {
        provider: record.provider,
        open: () => connector.openChangeFeed?.(),
      });
    }
    await this.feeds.reconcile(wanted);
  }

  /** Takes the lease and builds the runner once, even when a scan and an API call claim the link together. */
  private claim(record: LinkRecord): Promise<RunningLink | null> {
    const running = this.running.get(record.id);
    if (running) return Promise.resolve(running);
    let claiming = this.claiming.get(record.id);
    if (!claiming) {
      claiming = this.build(record).finally(() => this.claiming.delete(record.id));
      this.claiming.set(record.id, claiming);
    }
    return claiming;
  }

  private async build(record: LinkRecord): Promise<RunningLink | null> {
    if (!(await this.stores.linkSync.acquireLease(record.id, this.instanceId, LEASE_TTL_MS))) return null;
    const { tenant, id } = record;
    const stored = await this.stores.linkSync.load(tenant, id);
    const state: LinkState = {
      shadow: stored.shadow,
      remoteRev: stored.remoteRev,
      remoteSnapshot: stored.remoteSnapshot,
      pendingPush: stored.pendingPush ?? null,
    };
    const connector = await this.options.connectors.get(tenant, record.credentialId);
    const live = new LiveDocumentHandle(this.options.hocuspocus, record.doc, id);
    const persistence = this.persistence(record);
    const sync = new LinkSync({ linkId: id, remoteId: record.remoteId }, connector, live, persistence, state);
    const runner = new LinkRunner(
      sync,
      persistence,
      this.options.timing ?? defaultTiming,
      undefined,
      (step) => live.around(step),
    );
    const link: RunningLink = { record, connector, runner, sync, begun: false };
    this.running.set(id, link);
    const loaded = this.options.hocuspocus.documents.get(record.doc);
    if (loaded) runner.setWebSessions(loaded.getConnectionsCount());
    return link;
  }

  private async release(link: RunningLink): Promise<void> {
    this.running.delete(link.record.id);
    await link.runner.stop();
    await this.stores.linkSync.releaseLease(link.record.id, this.instanceId);
  }

  private persistence(record: LinkRecord): LinkPersistence {
    const { tenant, id } = record;
    const actor = `connector:${id}`;
    const leaseOwner = this.instanceId;
    return {
      commit: async (state, liveUpdate) => {
        if (state.pendingPush) {
          await this.stores.linkSync.recordPendingPush(tenant, id, state.pendingPush, { leaseOwner });
          return;
        }
        await this.options.storage.sql.transaction(async (tx) => {
          const stores = createAdminStores(tx, this.options.box);
          await stores.linkSync.save(
            tenant,
            id,
            {
              remoteRev: state.remoteRev,
              shadow: state.shadow,
              remoteSnapshot: state.remoteSnapshot,
              pendingPush: null,
            },
            { liveUpdates: liveUpdate ? [liveUpdate] : [], leaseOwner },
          );
          if (liveUpdate) {
            await stores.audit.append({
              tenant,
              actor,
              action: 'connector.pull',
              target: record.doc,
              details: { link: id, rev: state.remoteRev, bytes: liveUpdate.length },
            });
          }
        });
      },
      recordPush: async ({ rev, requests }) => {
        await this.stores.audit.append({
          tenant,
          actor,
          action: 'connector.push',
          target: record.doc,
          details: { link: id, provider: record.provider, rev, requests },
        });
      },
      setStatus: async (status, detail) => {
        await this.stores.linkSync.report(tenant, id, {
          status,
          detail: detail.message ?? null,
          error: detail.error ?? null,
          nextAttemptAt: detail.nextAttemptAt ?? null,
        });
      },
    };
  }
}
