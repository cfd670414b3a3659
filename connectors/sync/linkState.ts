/**
 * What the engine persists per link, besides the link's configuration: the shadow (a Yjs doc whose history
 * is a past state of the live doc and whose content equals the remote at `remoteRev`), the remote's own
 * snapshot at that revision, and a push that was sent but whose outcome is not yet known.
 */
export interface LinkState {
  shadow: Uint8Array | null;
  remoteRev: string | null;
  remoteSnapshot: Uint8Array | null;
  /**
   * Set just before a write is sent and cleared once its outcome is known: the live state the write was
   * computed from, and the revision it was based on. After a crash, the next pull decides whether the write
   * landed (see `resolvePendingPush`). A write of several remote calls adds `resume` once its first call
   * landed: the connector's record of the rest, which the next pull completes (`Connector.resume`).
   */
  pendingPush: { liveState: Uint8Array; baseRev: string; resume?: Uint8Array } | null;
  /**
   * When the suite's live client (the Word add-in) last left, from the hand-over until the remote holds
   * something newer: a remote save not later than it is stale (`LinkSync.handOver`). Absent: null.
   */
  liveEndedAt?: number | null;
}

/**
 * Where a link stands, the one status type of the engine, the store, the API and the editor:
 * `linking -> synced <-> pulling/pushing -> error/quarantined`. `linking` (never synced), `pulling` /
 * `pushing` (a step in progress), `synced`, `error` (failed, retried at `nextAttemptAt`), `quarantined` (kept
 * failing or refused outright, not retried until an admin resumes it), `paused` (stopped by an admin).
 */
export const linkStatuses = [
  'linking',
  'pulling',
  'pushing',
  'synced',
  'error',
  'quarantined',
  'paused',
] as const;
export type LinkStatus = (typeof linkStatuses)[number];

/**
 * Where the engine keeps link state. `commit` is one transaction: the live document's update (if any) is
 * appended to its update log together with the new link state, so a crash never separates them.
 */
export interface LinkPersistence {
  commit(state: LinkState, liveUpdate: Uint8Array | null): Promise<void>;
  /** A write to the remote landed (for the audit log): its revision and how many API write calls it took. */
  recordPush?(details: { rev: string | null; requests: number }): Promise<void>;
  /**
   * Counts one more consecutive failure and returns the count. The store is the one place failures are
   * counted, so a restart or a lease handover keeps the count (and the back-off and quarantine it drives);
   * a `synced` status clears it.
   */
  countFailure?(error: string): Promise<number>;
  setStatus(
    status: LinkStatus,
    detail: { message?: string | undefined; error?: string | null; nextAttemptAt?: number | null },
  ): Promise<void>;
}

/**
 * The live Docbridge document as the engine sees it. `state()` is read synchronously (the engine captures
 * the live content before any await); `applyDurable` applies an update that `LinkPersistence.commit` has
 * already made durable, so the durability layer does not log it twice.
 */
export interface LiveDocument {
  state(): Uint8Array;
  applyDurable(update: Uint8Array): void;
  /**
   * Resolves true once the live document holds everything in `state` (insertions and deletions), or false
   * after `timeoutMs`: a state taken on another instance arrives here through cross-instance sync. Absent
   * where the live document is the only copy.
   */
  holds?(state: Uint8Array, timeoutMs: number): Promise<boolean>;
}
