import type { Connector } from './connector.ts';
import type { LinkPersistence, LinkState, LinkStatus, LiveDocument } from './linkState.ts';
import type { InitialMode } from './linkSync.ts';

/** What the supervisor needs to know about a link (the admin store's record has more). */
export interface SupervisedLink {
  id: string;
  tenant: string;
  doc: string;
  provider: string;
  credentialId: string;
  remoteId: string;
  /** Null until the first sync completed: the link then starts with `initialMode`. */
  remoteRev: string | null;
  initialMode: InitialMode | null;
  consecutiveFailures: number;
}

/** Flags other instances left on links this instance runs (compared by value, never by clock). */
export interface CrossInstanceFlag {
  id: string;
  liveChangedAt: number | null;
  sessionsAt: number | null;
  /** A suite's own live client (the Word add-in) seen on the document by another instance. */
  liveClientsAt: number | null;
}

/** A suite's own live client connected to a document (the Word add-in is Microsoft's). */
export interface LiveClientEntry {
  doc: string;
  provider: string;
}

/**
 * Port 1: where links, their sync state, their leases and their failures live (the admin database in the
 * server, `server/links/linkStoreAdapter.ts`). Failures are counted here and only here, so a restart or a
 * lease handover keeps the count. Leases are compare-and-set: of instances racing for a link, one wins.
 */
export interface LinkStore {
  /** Links any instance may run now: not paused or quarantined, due, lease free or expired. */
  listDue(limit: number): Promise<SupervisedLink[]>;
  acquireLease(linkId: string, owner: string, ttlMs: number): Promise<boolean>;
  renewLease(linkId: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(linkId: string, owner: string): Promise<void>;
  /** The link's persisted sync state. */
  load(link: SupervisedLink): Promise<LinkState>;
  /** The link's persistence for the engine, fenced by `owner`'s lease. */
  persistence(link: SupervisedLink, owner: string): LinkPersistence;
  /** Sets a status from outside a runner (a resync request). */
  setStatus(link: SupervisedLink, status: LinkStatus, detail: string): Promise<void>;
  /** Notes live changes seen here on these documents' links run by other instances (one statement). */
  markLiveChanged(docs: readonly string[], owner: string): Promise<void>;
  /** Notes web sessions open here on documents whose links run elsewhere. */
  markRemoteSessions(docs: string[], owner: string): Promise<void>;
  /** Notes suites' live clients connected here to documents whose links run elsewhere. */
  markRemoteLiveClients(entries: LiveClientEntry[], owner: string): Promise<void>;
  crossInstanceFlags(owner: string): Promise<CrossInstanceFlag[]>;
}

/** One running link's hold on its live document (see `LiveDocuments.attach`). */
export interface LiveDocumentHold extends LiveDocument {
  /** Runs a sync step with the document loaded (opened once and kept while the link is active). */
  around(step: () => Promise<void>): Promise<void>;
  /** Lets the document go (the link stopped). */
  release(): Promise<void>;
}

/**
 * Port 2: the live documents (Hocuspocus in the server, `server/links/liveDocuments.ts`). A running link holds
 * one direct connection to its document while it is active, so polls never load and unload it; its writes are
 * transactions tagged with `linkOrigin` (`linkOrigin.ts`).
 */
export interface LiveDocuments {
  attach(doc: string, linkId: string): LiveDocumentHold;
  /** How many web sessions have `doc` open on this instance. */
  sessions(doc: string): number;
  /** Documents with web sessions open on this instance. */
  openDocuments(): string[];
  /** Documents a suite's own live client (the Word add-in) is connected to on this instance. */
  liveClients(): LiveClientEntry[];
}

/** An instance's word that the last of a suite's live clients on a document there left it. */
export interface LiveClientsLeft {
  doc: string;
  provider: string;
  /** The document as the last client left it (a Yjs update of the whole document). */
  stateAtEnd: Uint8Array;
  /** When it left, by the sending instance's clock (epoch ms). */
  endedAt: number;
}

/**
 * Port 3 (optional): word between instances that cannot wait for the next scan (Redis pub/sub in the server,
 * `server/links/liveClientsChannel.ts`); absent with a single instance. Best effort: a lost notice leaves the
 * scan's reports of the live client to run out, the fallback they always were.
 */
export interface InstanceChannel {
  /** Tells the other instances (never throws). */
  liveClientsLeft(notice: LiveClientsLeft): void;
  /** Where notices from the other instances go. */
  onLiveClientsLeft(listener: (notice: LiveClientsLeft) => void): void;
}

/** The connector of a link's credential (one per credential, shared by its links). */
export type ConnectorSource = (link: SupervisedLink) => Promise<Connector>;
