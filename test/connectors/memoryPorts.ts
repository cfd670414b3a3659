import * as Y from 'yjs';
import { linkOrigin } from '../../connectors/sync/linkOrigin.ts';
import type { LinkPersistence, LinkState, LinkStatus } from '../../connectors/sync/linkState.ts';
import type {
  CrossInstanceFlag,
  InstanceChannel,
  LinkStore,
  LiveClientsLeft,
  LiveDocumentHold,
  LiveDocuments,
  SupervisedLink,
} from '../../connectors/sync/supervisorPorts.ts';

/** One link as the in-memory store holds it. */
export interface StoredLink {
  link: SupervisedLink;
  state: LinkState;
  status: LinkStatus;
  detail: string | null;
  lastError: string | null;
  failures: number;
  lease: { owner: string; expiresAt: number } | null;
}

/**
 * The supervisor's link store in memory, with the same contract as the database one
 * (`server/links/linkStoreAdapter.ts`): fenced saves, compare-and-set leases, failures counted here. Every
 * write is counted (`writes`), so tests can say "steady state writes nothing"; `crashAfterPush` makes the
 * next audit of a landed write throw, as a process dying between the push and its commit would.
 */
export class MemoryLinkStore implements LinkStore {
  readonly links = new Map<string, StoredLink>();
  writes = 0;
  crashAfterPush = false;

  add(link: SupervisedLink): void {
    this.links.set(link.id, {
      link,
      state: { shadow: null, remoteRev: null, remoteSnapshot: null, pendingPush: null },
      status: 'linking',
      detail: null,
      lastError: null,
      failures: 0,
      lease: null,
    });
  }

  get(id: string): StoredLink {
    const stored = this.links.get(id);
    if (!stored) throw new Error(`no link ${id}`);
    return stored;
  }

  async listDue(limit: number): Promise<SupervisedLink[]> {
    const now = Date.now();
    return [...this.links.values()]
      .filter((s) => s.status !== 'quarantined' && s.status !== 'paused')
      .filter((s) => !s.lease || s.lease.expiresAt <= now)
      .slice(0, limit)
      .map((s) => ({
        ...s.link,
        remoteRev: s.state.remoteRev,
        consecutiveFailures: s.failures,
      }));
  }

  async acquireLease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const stored = this.get(id);
    if (stored.lease && stored.lease.owner !== owner && stored.lease.expiresAt > Date.now()) return false;
    stored.lease = { owner, expiresAt: Date.now() + ttlMs };
    return true;
  }

  async renewLease(id: string, owner: string, ttlMs: number): Promise<boolean> {
    const stored = this.links.get(id);
    if (!stored?.lease || stored.lease.owner !== owner || stored.lease.expiresAt <= Date.now()) return false;
    stored.lease.expiresAt = Date.now() + ttlMs;
    return true;
  }

  async releaseLease(id: string, owner: string): Promise<void> {
    const stored = this.links.get(id);
    if (stored?.lease?.owner === owner) stored.lease = null;
  }

  async load(link: SupervisedLink): Promise<LinkState> {
    return { ...this.get(link.id).state };
  }

  async setStatus(link: SupervisedLink, status: LinkStatus, detail: string): Promise<void> {
    const stored = this.get(link.id);
    this.writes += 1;
    Object.assign(stored, { status, detail, lastError: null });
    if (status === 'synced') stored.failures = 0;
  }

  async markLiveChanged(): Promise<void> {}
  async markRemoteSessions(): Promise<void> {}
  /** When another instance last saw a suite's live client on each link's document (a test may set one). */
  readonly liveClientsAt = new Map<string, number>();

  async markRemoteLiveClients(entries: { doc: string; provider: string }[], owner: string): Promise<void> {
    for (const { link, lease } of this.links.values()) {
      if (
        lease &&
        lease.owner !== owner &&
        entries.some((e) => e.doc === link.doc && e.provider === link.provider)
      )
        this.liveClientsAt.set(link.id, Date.now());
    }
  }

  async crossInstanceFlags(owner: string): Promise<CrossInstanceFlag[]> {
    return [...this.liveClientsAt]
      .filter(([id]) => this.links.get(id)?.lease?.owner === owner)
      .map(([id, at]) => ({ id, liveChangedAt: null, sessionsAt: null, liveClientsAt: at }));
  }

  persistence(link: SupervisedLink, owner: string): LinkPersistence {
    const stored = this.get(link.id);
    const fenced = () => {
      if (stored.lease?.owner !== owner) throw new Error('LEASE_LOST');
    };
    return {
      commit: async (state, liveUpdate) => {
        fenced();
        this.writes += 1;
        stored.state = { ...state };
        if (!state.pendingPush) Object.assign(stored, { status: 'synced', failures: 0 });
        if (liveUpdate) this.liveUpdates.push({ doc: link.doc, update: liveUpdate });
      },
      recordPush: async () => {
        if (this.crashAfterPush) {
          this.crashAfterPush = false;
          throw new Error('process died before the push was recorded');
        }
        this.writes += 1;
      },
      countFailure: async (error) => {
        this.writes += 1;
        stored.lastError = error;
        stored.failures += 1;
        return stored.failures;
      },
      setStatus: async (status, detail) => {
        this.writes += 1;
        Object.assign(stored, { status, detail: detail.message ?? null, lastError: detail.error ?? null });
        if (status === 'synced') stored.failures = 0;
      },
    };
  }

  /** Live updates committed with link states (the durable log's view). */
  readonly liveUpdates: { doc: string; update: Uint8Array }[] = [];
}

/** Live documents in memory: a Y.Doc per name; changes are reported to `onChange` with their origin. */
export class MemoryLiveDocuments implements LiveDocuments {
  readonly docs = new Map<string, Y.Doc>();
  private readonly open = new Map<string, number>();

  constructor(private readonly onChange: (doc: string, origin: unknown) => void = () => {}) {}

  doc(name: string): Y.Doc {
    let doc = this.docs.get(name);
    if (!doc) {
      doc = new Y.Doc();
      doc.on('update', (_update: Uint8Array, origin: unknown) => this.onChange(name, origin));
      this.docs.set(name, doc);
    }
    return doc;
  }

  /** Opens or closes web sessions on `name` (the editor being open somewhere). */
  setSessions(name: string, count: number): void {
    this.open.set(name, count);
  }

  attach(name: string, linkId: string): LiveDocumentHold {
    const doc = this.doc(name);
    const origin = linkOrigin(linkId);
    return {
      around: (step) => step(),
      state: () => Y.encodeStateAsUpdate(doc),
      applyDurable: (update) => doc.transact(() => Y.applyUpdate(doc, update), origin),
      release: async () => {},
    };
  }

  sessions(name: string): number {
    return this.open.get(name) ?? 0;
  }

  openDocuments(): string[] {
    return [...this.open].filter(([, count]) => count > 0).map(([name]) => name);
  }

  /** Suites' own live clients (the Word add-in) connected to documents here. */
  readonly liveClientsHere: { doc: string; provider: string }[] = [];

  liveClients(): { doc: string; provider: string }[] {
    return [...this.liveClientsHere];
  }
}

/** The instance channel in memory: one `InstanceChannel` per instance; notices reach the others. */
export class MemoryInstanceChannels {
  private readonly listeners = new Map<InstanceChannel, (notice: LiveClientsLeft) => void>();

  /** The channel of one more instance. */
  join(): InstanceChannel {
    const channel: InstanceChannel = {
      liveClientsLeft: (notice) => {
        for (const [other, listener] of this.listeners) if (other !== channel) listener(notice);
      },
      onLiveClientsLeft: (listener) => {
        this.listeners.set(channel, listener);
      },
    };
    return channel;
  }
}
