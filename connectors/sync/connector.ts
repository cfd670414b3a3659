import type { Node as PMNode } from '@tiptap/pm/model';
import type { ConversionWarning } from '../model/warnings.ts';
import type { ChangeFeed } from './changeFeed.ts';

/** The remote file a link joins, as one provider names it (Google document id, Graph drive item id). */
export interface RemoteTarget {
  linkId: string;
  remoteId: string;
}

/**
 * The remote file at one revision, parsed once: its content as a schema-valid ProseMirror node (validated
 * when it was read, never again), the revision it was read at, and the suite's own base (Google Document
 * JSON, the .docx package), which the next write needs to express a diff in the remote's terms and to carry
 * back what the schema does not model. The link keeps it in memory; only persistence encodes `base`.
 */
export interface RemoteSnapshot<Base = unknown> {
  rev: string;
  doc: PMNode;
  base: Base;
  warnings: ConversionWarning[];
  /**
   * When the remote's content reached this revision, by the remote's clock (epoch ms; Graph's
   * `lastModifiedDateTime`), when the suite says. The hand-over from a suite's live client uses it to tell a
   * save older than the client's last state from a newer one (`LinkSync.handOver`).
   */
  modifiedAt?: number | null;
}

/**
 * Called by a connector whose write takes several remote calls, once the first has landed, with its own
 * record of the rest; the engine persists it (with the pending push) before the connector goes on.
 */
export type PushProgress = (resume: Uint8Array) => Promise<void>;

/** How a read is wanted: `urgent` when someone has the document open (served before background reads). */
export interface ReadOptions {
  urgent?: boolean;
}

/** The result of a write: the revision the remote reported for it, when it reports one. */
export interface PushResult {
  rev: string | null;
  /** How many remote API write calls the push made (for the "requests per edit" figures). */
  requests: number;
}

/**
 * One office suite, seen by the sync engine (DESIGN section 3). A connector reads the remote file into a
 * schema document and writes a change between two schema documents back in the remote's own terms, guarded
 * by the revision it was computed against. It never touches Hocuspocus or the live document: the engine hands
 * it content and takes content back. Failures are thrown as the typed errors in `remoteErrors.ts`, which the
 * engine turns into pull-then-retry, back-off, or quarantine. Every suite passes `test/connectors/conformance.ts`.
 */
export interface Connector<Base = unknown> {
  readonly provider: string;
  /** Reads the remote file (one remote read, one schema validation). */
  fetch(target: RemoteTarget, options?: ReadOptions): Promise<RemoteSnapshot<Base>>;
  /**
   * A token that changes whenever the remote file changes, far cheaper than `fetch` in the remote's quota
   * (Google: Drive's file `version`, against Drive's own quota instead of the Docs API's 300 reads a minute);
   * a poll that finds the token unchanged skips the read. Absent when the suite has no such probe.
   */
  probe?(target: RemoteTarget, options?: ReadOptions): Promise<string>;
  /**
   * How long this credential's reads and probes have lately waited for its client-side quota (ms, smoothed):
   * what the link status cites when a document ends up polled less often than it asks. Absent: never waits.
   */
  quotaWaitMs?(): number;
  /**
   * Writes the change `base.doc -> next` to the remote, computed against `base` (its revision and the
   * suite's base). `next` is already schema-valid. Throws RemoteError `LINK_REVISION_CONFLICT` when the
   * remote is no longer at a state the change applies to.
   */
  push(
    target: RemoteTarget,
    base: RemoteSnapshot<Base>,
    next: PMNode,
    progress?: PushProgress,
  ): Promise<PushResult>;
  /**
   * Completes a write that stopped (a crash, a lost answer) after `progress` recorded `resume`: sends what is
   * left, idempotently (nothing twice if it had landed after all). Required from connectors that call `progress`.
   */
  resume?(target: RemoteTarget, resume: Uint8Array): Promise<void>;
  /** The bytes persisted for a base (the link's stored remote snapshot). */
  encodeBase(base: Base): Uint8Array;
  /**
   * The stable remote id for a parsed id that names the file indirectly (a Microsoft sharing address is
   * resolved through Graph's `/shares`); absent when parsed ids are already stable.
   */
  resolve?(remoteId: string): Promise<string>;
  /** The credential-wide change feed, when the provider has one. */
  openChangeFeed?(): ChangeFeed | undefined;
}
