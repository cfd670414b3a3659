import * as Y from 'yjs';
import type { Connector, ReadOptions, RemoteSnapshot, RemoteTarget } from './connector.ts';
import { type LinkOrigin, linkOrigin } from './linkOrigin.ts';
import type { LinkPersistence, LinkState, LiveDocument } from './linkState.ts';
import { RemoteError } from './remoteErrors.ts';
import { contentOf, distance, follow, openShadow, sameContent, shadowClientId } from './shadowDoc.ts';

/** How a new link starts when both sides may hold content (the admin API's `initial`). */
export type InitialMode = 'remote' | 'local' | 'merge';

export type PullOutcome = 'unchanged' | 'merged' | 'rebased';
export type PushOutcome = 'unchanged' | 'pushed';

const MAX_CONFLICT_RETRIES = 5;
/** How long a hand-over waits for the live document to hold the client's last state (from elsewhere). */
const HOLD_WAIT_MS = 5000;
/**
 * A remote save counts as later than the live client's last state only when the remote's clock puts it this
 * far past the moment the client left (our clock): the margin covers skew between the two clocks, timestamps
 * rounded to the second, and a save that lands a moment after the state it holds was taken.
 */
export const SAVE_CLOCK_MARGIN_MS = 2000;

/** Where the suite's live client (the Word add-in) left the live document (null: as it is now), and when. */
export interface LiveClientEnd {
  stateAtEnd: Uint8Array | null;
  endedAt: number;
}

/**
 * The sync of one link (DESIGN section 3): a shadow Yjs peer between the live document and the remote.
 * Pull moves the shadow to the remote's content with minimal edits and hands those edits to the live
 * document, where the CRDT merges them with whatever users typed meanwhile. Push sends the difference between
 * the remote's content and the live content, guarded by the remote revision; on success the live state joins
 * the shadow, so the remote's echo of it is not applied twice. Calls are serialised by the caller (one
 * operation per link at a time; the scheduler guarantees it).
 */
export class LinkSync<Base = unknown> {
  private shadow: Y.Doc;
  private committed: LinkState;
  /** The remote as last read: the base every push is computed against. Null until the first pull. */
  private base: RemoteSnapshot<Base> | null = null;
  /** A push known (in this process) to have landed, not yet folded into the shadow by a pull. */
  private landed: Uint8Array | null = null;
  /** The connector's change probe when `base` was read (see `Connector.probe`); null: read on the next poll. */
  private probed: string | null = null;
  /**
   * When the live client left, from the hand-over until the remote holds a state newer than that (a later
   * save was reconciled, or a push landed): until then a save that is not later is stale (see `handOver`).
   * Persisted with the link state, so a restart or another instance keeps to it.
   */
  private liveEndedAt: number | null;
  private readonly clientId: number;
  private readonly origin: LinkOrigin;

  constructor(
    private readonly target: RemoteTarget,
    private readonly connector: Connector<Base>,
    private readonly live: LiveDocument,
    private readonly persistence: LinkPersistence,
    state: LinkState,
  ) {
    this.clientId = shadowClientId(target.linkId);
    this.origin = linkOrigin(target.linkId);
    this.committed = state;
    this.shadow = openShadow(this.clientId, state.shadow);
    this.liveEndedAt = state.liveEndedAt ?? null;
  }

  /**
   * Whether the remote has a change probe (`Connector.probe`): an unchanged poll then costs one probe, not a
   * read of the remote's scarce quota, so an open document can be polled at the active pace for as long as
   * it stays open.
   */
  get probes(): boolean {
    return this.connector.probe !== undefined;
  }

  /** How long the connector's recent calls waited for the credential's quota (ms; 0 when it does not say). */
  quotaWaitMs(): number {
    return this.connector.quotaWaitMs?.() ?? 0;
  }

  /** The revision the shadow follows, or null before the first pull. */
  get remoteRev(): string | null {
    return this.committed.remoteRev;
  }

  /**
   * Starts a new link. `remote`: the remote's content replaces the live content. `local`: the live content
   * replaces the remote's. `merge`: both are kept (the remote's blocks are added to the live document, then
   * the union is written back).
   */
  async initialize(mode: InitialMode): Promise<void> {
    if (mode === 'merge') {
      await this.pull({ force: true });
      await this.push();
      return;
    }
    // The shadow starts as the live document, so the first pull's edits replace the live content.
    this.shadow = openShadow(this.clientId, this.live.state());
    if (mode === 'remote') {
      await this.pull({ force: true });
      return;
    }
    this.base = await this.fetch();
    await this.push();
  }

  /**
   * Reads the remote and, if it moved (or `force`), brings the shadow to it and the change into the live
   * document. Returns `rebased` when a write of unknown outcome was resolved on the way.
   */
  async pull({ force = false, urgent = false } = {}): Promise<PullOutcome> {
    const pending = this.committed.pendingPush;
    // A write whose first call landed before it stopped: finish it, then it counts as landed.
    if (pending?.resume && !this.landed) await this.connector.resume?.(this.target, pending.resume);
    const settled = !pending && !this.landed && this.base !== null;
    // Taken before the read: the read then holds at least what the probe saw, so an unchanged probe later
    // means an unchanged remote.
    const probe = await this.probe({ urgent });
    if (!force && settled && probe !== null && probe === this.probed) return 'unchanged';
    const snapshot = await this.fetch({ urgent });
    this.probed = probe;
    if (!force && settled && snapshot.rev === this.committed.remoteRev) {
      this.base = snapshot;
      return 'unchanged';
    }
    const shadow = openShadow(this.clientId, Y.encodeStateAsUpdate(this.shadow));
    let rebased = false;
    if (this.landed) {
      Y.applyUpdate(shadow, this.landed);
    } else if (pending?.resume) {
      Y.applyUpdate(shadow, pending.liveState);
      rebased = true;
    } else if (pending) {
      rebased = this.resolvePendingPush(shadow, pending, snapshot);
    }
    // At the revision it already follows, the shadow has nothing to follow: its content is that revision's,
    // or one a hand-over chose over it (a stale save, adopted without applying it, must stay so).
    const moved = this.landed !== null || rebased || snapshot.rev !== this.committed.remoteRev;
    let update: Uint8Array | null = null;
    // A save of the live client's time listed late (Graph's listing can lag a save) is adopted, not applied:
    // the shadow holds the client's last state since the hand-over.
    if (moved && (this.landed || rebased || !this.staleSave(snapshot))) {
      // The remote now holds a state newer than the live client's end: its saves are real edits again.
      this.liveEndedAt = null;
      update = follow(shadow, snapshot.doc, this.origin);
    }
    await this.commitShadow(shadow, snapshot, update);
    return update || rebased ? 'merged' : 'unchanged';
  }

  /**
   * The pull while the suite's own live client (the Word add-in) holds the document. That client brings the
   * remote's edits into the live document itself, so a new remote revision is not applied again (it would
   * insert them twice): it is adopted as the shadow's revision when its content is the live content (the
   * client mirrored everything and the file was saved), and otherwise left for a later save that matches, or
   * for the hand-over. Nothing is written to the live document.
   */
  async pullWhileLive(): Promise<PullOutcome> {
    const snapshot = await this.fetch();
    if (snapshot.rev === this.committed.remoteRev) {
      this.base = snapshot;
      return 'unchanged';
    }
    const liveState = this.live.state();
    if (!sameContent(snapshot.doc, contentOf(liveState))) return 'unchanged';
    await this.adopt(snapshot, liveState, null);
    return 'merged';
  }

  /**
   * File mode takes over from the suite's live client, which left the live document in `end.stateAtEnd` at
   * `end.endedAt` (a state the live document may still be receiving from another instance: waited for, a
   * bounded while; null when unknown, as when the client's instance stopped reporting it: the state now).
   * If the remote moved to the live content, that revision is adopted. Otherwise the client's last state joins
   * the shadow (everything it mirrored both ways is then common history). If the remote did not move, or
   * moved to a save not later than the end (see `SAVE_CLOCK_MARGIN_MS`), nothing is applied: such a save holds
   * nothing the client had not mirrored, but may lack what it mirrored after the save was taken (web edits
   * written into Word, Word typing already read), which applying it would delete; so is any other such save
   * until a later one arrives or a push lands. A later save is pulled against the client's state: only what
   * Word saved beyond what the client had mirrored reaches the live document, deletions included, and what
   * web users typed since is kept, to be pushed next.
   */
  async handOver(end: LiveClientEnd): Promise<void> {
    if (end.stateAtEnd) await this.live.holds?.(end.stateAtEnd, HOLD_WAIT_MS);
    const stateAtEnd = end.stateAtEnd ?? this.live.state();
    const snapshot = await this.fetch();
    const moved = snapshot.rev !== this.committed.remoteRev;
    const liveState = this.live.state();
    this.liveEndedAt = end.endedAt;
    if (moved && sameContent(snapshot.doc, contentOf(liveState))) {
      await this.adopt(snapshot, liveState, null);
      return;
    }
    // The client's state joins the shadow even when nothing is applied: Word's next save holds what the
    // client mirrored, which must then read as common history, not as new text (nor the web's later edits
    // as deleted), whatever becomes of the upload meanwhile (a 423 while Word holds the file).
    const reconcile = moved && !this.staleSave(snapshot);
    if (reconcile) this.liveEndedAt = null;
    await this.adopt(snapshot, stateAtEnd, reconcile ? snapshot : null);
  }

  /**
   * True when `snapshot` is a save not later than the live client's end (or one the remote gives no time
   * for): everything it could bring, the client had brought already.
   */
  private staleSave(snapshot: RemoteSnapshot<Base>): boolean {
    if (this.liveEndedAt === null) return false;
    return snapshot.modifiedAt == null || snapshot.modifiedAt <= this.liveEndedAt + SAVE_CLOCK_MARGIN_MS;
  }

  /**
   * The shadow takes `liveState` (a state of the live document, so only history the live document already has)
   * and the revision of `snapshot`; with `follow`, the shadow then moves to the snapshot's content and that
   * edit goes to the live document, in the same transaction.
   */
  private async adopt(
    snapshot: RemoteSnapshot<Base>,
    liveState: Uint8Array,
    follows: RemoteSnapshot<Base> | null,
  ): Promise<void> {
    const shadow = openShadow(this.clientId, Y.encodeStateAsUpdate(this.shadow));
    Y.applyUpdate(shadow, liveState);
    await this.commitShadow(shadow, snapshot, follows ? follow(shadow, follows.doc, this.origin) : null);
  }

  /**
   * Makes `shadow` the link's shadow at `snapshot`'s revision, in one transaction with `update` (the shadow's
   * latest edit, for the live document), then hands `update` to the live document.
   */
  private async commitShadow(
    shadow: Y.Doc,
    snapshot: RemoteSnapshot<Base>,
    update: Uint8Array | null,
  ): Promise<void> {
    const state: LinkState = {
      shadow: Y.encodeStateAsUpdate(shadow),
      remoteRev: snapshot.rev,
      // Only persistence encodes the base; the link keeps the parsed one.
      remoteSnapshot: this.connector.encodeBase(snapshot.base),
      pendingPush: null,
      liveEndedAt: this.liveEndedAt,
    };
    await this.persistence.commit(state, update);
    this.shadow = shadow;
    this.committed = state;
    this.base = snapshot;
    this.landed = null;
    if (update) this.live.applyDurable(update);
  }

  /**
   * Writes the live content to the remote if it differs from the remote's, pulling first when the remote
   * moved under it. Precondition failures pull and retry; other errors propagate to the scheduler.
   */
  async push(): Promise<PushOutcome> {
    for (let attempt = 0; ; attempt++) {
      if (!this.base) await this.pull({ force: true });
      const base = this.base!;
      // Captured before any await: what is written, and what joins the shadow if the write lands.
      const liveState = this.live.state();
      const next = contentOf(liveState);
      if (sameContent(base.doc, next)) return 'unchanged';
      await this.persistence.commit(
        { ...this.committed, pendingPush: { liveState, baseRev: base.rev } },
        null,
      );
      this.committed = { ...this.committed, pendingPush: { liveState, baseRev: base.rev } };
      const progress = async (resume: Uint8Array) => {
        const pendingPush = { liveState, baseRev: base.rev, resume };
        await this.persistence.commit({ ...this.committed, pendingPush }, null);
        this.committed = { ...this.committed, pendingPush };
      };
      try {
        const result = await this.connector.push(this.target, base, next, progress);
        this.landed = liveState;
        await this.persistence.recordPush?.({ rev: result.rev, requests: result.requests });
      } catch (error) {
        if (!(error instanceof RemoteError)) throw error;
        if (
          !this.committed.pendingPush?.resume &&
          (error.code === 'LINK_REVISION_CONFLICT' ||
            error.code === 'REMOTE_REJECTED' ||
            error.code === 'REMOTE_AUTH_FAILED')
        ) {
          // The remote refused the write as a whole: nothing landed.
          this.committed = { ...this.committed, pendingPush: null };
        }
        if (error.code !== 'LINK_REVISION_CONFLICT') throw error;
        if (attempt >= MAX_CONFLICT_RETRIES) throw error;
        await this.pull({ force: true });
        continue;
      }
      // Re-read at once: the suite may have normalised the content, or merged a collaborator's edit.
      await this.pull({ force: true });
      return 'pushed';
    }
  }

  private fetch(options: ReadOptions = {}): Promise<RemoteSnapshot<Base>> {
    return this.connector.fetch(this.target, options);
  }

  /**
   * The connector's change probe, or null (no probe, or it failed: the full read then decides, and reports
   * its own errors).
   */
  private async probe(options: ReadOptions): Promise<string | null> {
    if (!this.connector.probe) return null;
    try {
      return await this.connector.probe(this.target, options);
    } catch {
      return null;
    }
  }

  /**
   * A write was sent but the process stopped (or the response was lost) before its outcome was recorded.
   * If the remote is still at the write's base revision, it did not land. Otherwise it may have landed,
   * possibly followed by other edits; whichever hypothesis explains the remote's content with the smaller
   * edit wins. Choosing "landed" wrongly would drop nothing (the shadow only gains live history); choosing
   * "not landed" wrongly would insert the write's text a second time, which the distance rules out.
   */
  private resolvePendingPush(
    shadow: Y.Doc,
    pending: NonNullable<LinkState['pendingPush']>,
    snapshot: RemoteSnapshot<Base>,
  ): boolean {
    if (snapshot.rev === pending.baseRev) return false;
    const current = Y.encodeStateAsUpdate(shadow);
    const withWrite = Y.mergeUpdates([current, pending.liveState]);
    const landed =
      distance(this.clientId, withWrite, snapshot.doc) <= distance(this.clientId, current, snapshot.doc);
    if (landed) Y.applyUpdate(shadow, pending.liveState);
    return landed;
  }
}
