import type { SqlExecutor } from '../storage/sql.ts';
import { AdminStoreError } from './adminStoreError.ts';
import {
  boundedError,
  LINK_COLUMNS,
  type LinkRecord,
  type LinkRow,
  type LinkStatus,
  toLinkRecord,
} from './linkRecord.ts';
import { assertTenant, SqlRepo } from './repoSupport.ts';

/** Documents per flagging statement: far below either back end's limit on parameters. */
const DOCS_PER_STATEMENT = 500;

/** What the engine persists after a pull or push (DESIGN section 3). */
export interface LinkSyncState {
  /** The remote revision the shadow matches (Google `revisionId`, Graph `eTag`). */
  remoteRev: string | null;
  /** Yjs state (`encodeStateAsUpdate`) of the shadow doc. */
  shadow: Uint8Array | null;
  /** The remote's own snapshot at `remoteRev`: Google Document JSON bytes, or the .docx bytes. */
  remoteSnapshot: Uint8Array | null;
  /**
   * A write sent whose outcome is not known yet: the live state it carried, its base revision, and (for a
   * write of several calls, once its first call landed) the connector's record of what is left to do.
   */
  pendingPush?: PendingPush | null;
  /**
   * When the suite's live client last left (epoch ms, the server's clock), while saves not later than it are
   * stale (see `LinkState.liveEndedAt`); absent or null otherwise.
   */
  liveEndedAt?: number | null;
}

/** A pending push as stored (see `LinkState.pendingPush`). */
export type PendingPush = { liveState: Uint8Array; baseRev: string; resume?: Uint8Array };

/** A lease on one link: only its owner runs the link until `expiresAt`. */
export interface LinkLease {
  owner: string;
  expiresAt: number;
}

/**
 * The sync engine's side of links: shadow state (saved atomically with the live document's update),
 * failure bookkeeping, and leases so one instance at a time runs a link. Leases are compare-and-set
 * UPDATEs, atomic on both back ends; state saves can be fenced by the lease, so an instance that lost its
 * lease cannot overwrite the new owner's work. Compose with other repositories in one transaction by
 * constructing them all on the same `tx` inside `storage.sql.transaction`.
 */
export class LinkSyncStore extends SqlRepo {
  /** The link's stored sync state; `LINK_NOT_FOUND` when this tenant has no such link. */
  async load(tenant: string, id: string): Promise<LinkSyncState> {
    assertTenant(tenant);
    const rows = await this.db.query<{
      remote_rev: string | null;
      shadow: Uint8Array | null;
      remote_snapshot: Uint8Array | null;
      pending_push: Uint8Array | null;
      pending_push_rev: string | null;
      pending_push_resume: Uint8Array | null;
      live_ended_at: number | null;
    }>(
      'SELECT remote_rev, shadow, remote_snapshot, pending_push, pending_push_rev, pending_push_resume, live_ended_at FROM links WHERE tenant = $1 AND id = $2',
      [tenant, id],
    );
    const row = rows[0];
    if (!row) throw notFound(tenant, id);
    const pendingPush =
      row.pending_push && row.pending_push_rev !== null
        ? {
            liveState: row.pending_push,
            baseRev: row.pending_push_rev,
            ...(row.pending_push_resume ? { resume: row.pending_push_resume } : {}),
          }
        : null;
    return {
      remoteRev: row.remote_rev,
      shadow: row.shadow,
      remoteSnapshot: row.remote_snapshot,
      pendingPush,
      ...(row.live_ended_at !== null ? { liveEndedAt: Number(row.live_ended_at) } : {}),
    };
  }

  /**
   * Records (or clears, with null) a write about to be sent, before it is sent: after a crash the engine
   * uses it to tell whether the write landed. Fenced by the lease like `save`; leaves the status alone.
   */
  async recordPendingPush(
    tenant: string,
    id: string,
    pending: PendingPush | null,
    options: { leaseOwner?: string } = {},
  ): Promise<void> {
    assertTenant(tenant);
    const at = this.now();
    const rows = await this.db.query<{ id: string }>(
      `UPDATE links SET pending_push = $3, pending_push_rev = $4, pending_push_resume = $7, updated_at = $5
       WHERE tenant = $1 AND id = $2 AND ($6 = '' OR (lease_owner = $6 AND lease_expires_at > $5))
       RETURNING id`,
      [
        tenant,
        id,
        pending?.liveState ?? null,
        pending?.baseRev ?? null,
        at,
        options.leaseOwner ?? '',
        pending?.resume ?? null,
      ],
    );
    if (rows.length === 0) throw await this.whyNotUpdated(this.db, tenant, id);
  }

  /**
   * Saves shadow, revision and snapshot, marks the link synced (status `ok`, failures cleared) and appends
   * `liveUpdates` to the document's update log, all in one transaction: all of it lands or none does. With
   * `leaseOwner`, the save only happens while that owner still holds an unexpired lease (`LEASE_LOST`
   * otherwise, nothing written). Returns the log id of the last live update (0 when none).
   */
  async save(
    tenant: string,
    id: string,
    state: LinkSyncState,
    options: { liveUpdates?: readonly Uint8Array[]; leaseOwner?: string } = {},
  ): Promise<{ logId: number }> {
    assertTenant(tenant);
    const at = this.now();
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ doc: string }>(
        `UPDATE links SET remote_rev = $3, shadow = $4, remote_snapshot = $5, status = 'synced', status_detail = NULL,
           last_error = NULL, consecutive_failures = 0, next_attempt_at = NULL, last_synced_at = $6, updated_at = $6,
           pending_push = $8, pending_push_rev = $9, pending_push_resume = $10, live_ended_at = $11
         WHERE tenant = $1 AND id = $2 AND ($7 = '' OR (lease_owner = $7 AND lease_expires_at > $6))
         RETURNING doc`,
        [
          tenant,
          id,
          state.remoteRev,
          state.shadow,
          state.remoteSnapshot,
          at,
          options.leaseOwner ?? '',
          state.pendingPush?.liveState ?? null,
          state.pendingPush?.baseRev ?? null,
          state.pendingPush?.resume ?? null,
          state.liveEndedAt ?? null,
        ],
      );
      const doc = rows[0]?.doc;
      if (doc === undefined) throw await this.whyNotUpdated(tx, tenant, id);
      return { logId: await tx.appendUpdates(doc, options.liveUpdates ?? []) };
    });
  }

  /**
   * Records what the engine is doing or why it stopped, as the API shows it: status, a short detail, the
   * last error (null clears it) and when it will retry. Not fenced by the lease: status is advisory.
   */
  async report(
    tenant: string,
    id: string,
    report: { status: LinkStatus; detail: string | null; error: string | null; nextAttemptAt: number | null },
  ): Promise<void> {
    assertTenant(tenant);
    await this.db.execute(
      `UPDATE links SET status = $3, status_detail = $4, last_error = $5, next_attempt_at = $6, updated_at = $7,
         last_synced_at = CASE WHEN $3 = 'synced' THEN $7 ELSE last_synced_at END,
         consecutive_failures = CASE WHEN $3 = 'synced' THEN 0 ELSE consecutive_failures END
       WHERE tenant = $1 AND id = $2`,
      [
        tenant,
        id,
        report.status,
        boundedError(report.detail),
        boundedError(report.error),
        report.nextAttemptAt,
        this.now(),
      ],
    );
  }

  /**
   * Counts one more consecutive failure of a running link and returns the count (the engine's retry policy
   * decides back-off and quarantine from it, then reports the status). `synced` (`report`, `save`) clears it.
   */
  async countFailure(tenant: string, id: string, error: string): Promise<number> {
    assertTenant(tenant);
    const rows = await this.db.query<{ consecutive_failures: number }>(
      `UPDATE links SET consecutive_failures = consecutive_failures + 1, last_error = $3, updated_at = $4
       WHERE tenant = $1 AND id = $2 RETURNING consecutive_failures`,
      [tenant, id, boundedError(error), this.now()],
    );
    if (!rows[0]) throw notFound(tenant, id);
    return Number(rows[0].consecutive_failures);
  }

  /**
   * Another instance saw the live document change: notes it on the document's links run elsewhere, so
   * their lease holder pushes (it may not have the document loaded, so it cannot see the edit itself).
   */
  async markLiveChanged(docs: readonly string[], except: string): Promise<void> {
    for (let at = 0; at < docs.length; at += DOCS_PER_STATEMENT) {
      const chunk = docs.slice(at, at + DOCS_PER_STATEMENT);
      const list = chunk.map((_, i) => `$${i + 3}`).join(', ');
      await this.db.execute(
        `UPDATE links SET live_changed_at = $1 WHERE lease_owner IS NOT NULL AND lease_owner <> $2 AND doc IN (${list})`,
        [this.now(), except, ...chunk],
      );
    }
  }

  /**
   * Web sessions are open on these documents on another instance (`except`): their links' holder keeps polling
   * the remote. One statement for all of them.
   */
  async markRemoteSessions(docs: readonly string[], except: string): Promise<void> {
    if (docs.length === 0) return;
    const list = docs.map((_, i) => `$${i + 3}`).join(', ');
    await this.db.execute(
      `UPDATE links SET remote_sessions_at = $1 WHERE lease_owner IS NOT NULL AND lease_owner <> $2 AND doc IN (${list})`,
      [this.now(), except, ...docs],
    );
  }

  /**
   * A suite's own live client (the Word add-in) is connected to these documents on another instance
   * (`except`): the holder of their links of that provider keeps its uploads waiting. One statement per provider.
   */
  async markRemoteLiveClients(
    entries: readonly { doc: string; provider: string }[],
    except: string,
  ): Promise<void> {
    for (const provider of new Set(entries.map((entry) => entry.provider))) {
      const docs = entries.filter((entry) => entry.provider === provider).map((entry) => entry.doc);
      const list = docs.map((_, i) => `$${i + 4}`).join(', ');
      await this.db.execute(
        `UPDATE links SET live_clients_at = $1 WHERE lease_owner IS NOT NULL AND lease_owner <> $2
           AND provider = $3 AND doc IN (${list})`,
        [this.now(), except, provider, ...docs],
      );
    }
  }

  /**
   * The flags other instances left on the links `owner` runs (a live change, open sessions, live clients).
   * Compared by value with what the owner saw last, never with its own clock, so clock skew between instances
   * cannot hide one.
   */
  async crossInstanceFlags(owner: string): Promise<
    {
      id: string;
      liveChangedAt: number | null;
      sessionsAt: number | null;
      liveClientsAt: number | null;
    }[]
  > {
    const rows = await this.db.query<{
      id: string;
      live_changed_at: number | null;
      remote_sessions_at: number | null;
      live_clients_at: number | null;
    }>(
      `SELECT id, live_changed_at, remote_sessions_at, live_clients_at FROM links
       WHERE lease_owner = $1
         AND (live_changed_at IS NOT NULL OR remote_sessions_at IS NOT NULL OR live_clients_at IS NOT NULL)`,
      [owner],
    );
    const at = (value: number | null) => (value === null ? null : Number(value));
    return rows.map((row) => ({
      id: row.id,
      liveChangedAt: at(row.live_changed_at),
      sessionsAt: at(row.remote_sessions_at),
      liveClientsAt: at(row.live_clients_at),
    }));
  }

  /**
   * Links any instance may run now, across tenants (the scheduler's view; callers still acquire a lease
   * per link): not paused or quarantined, due (`nextAttemptAt` null or past), lease free or expired.
   */
  async listDue(limit = 100): Promise<LinkRecord[]> {
    const at = this.now();
    const rows = await this.db.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links
       WHERE status NOT IN ('paused', 'quarantined')
         AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
         AND (lease_owner IS NULL OR lease_expires_at <= $1)
       ORDER BY coalesce(next_attempt_at, 0), id LIMIT $2`,
      [at, Math.max(1, Math.floor(limit))],
    );
    return rows.map(toLinkRecord);
  }

  /**
   * Takes the link's lease for `ttlMs` if it is free, expired, or already `owner`'s (then it is extended).
   * One atomic compare-and-set UPDATE: of owners racing, exactly one wins. Returns the lease, or null when
   * another owner holds an unexpired one (or the link does not exist).
   */
  async acquireLease(linkId: string, owner: string, ttlMs: number): Promise<LinkLease | null> {
    const at = this.now();
    const expiresAt = at + checkTtl(ttlMs);
    const changed = await this.db.execute(
      `UPDATE links SET lease_owner = $2, lease_expires_at = $3
       WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 OR lease_expires_at IS NULL OR lease_expires_at <= $4)`,
      [linkId, checkOwner(owner), expiresAt, at],
    );
    return changed === 1 ? { owner, expiresAt } : null;
  }

  /** Extends a lease `owner` still holds unexpired; null when it was lost (expired or taken over). */
  async renewLease(linkId: string, owner: string, ttlMs: number): Promise<LinkLease | null> {
    const at = this.now();
    const expiresAt = at + checkTtl(ttlMs);
    const changed = await this.db.execute(
      `UPDATE links SET lease_expires_at = $3 WHERE id = $1 AND lease_owner = $2 AND lease_expires_at > $4`,
      [linkId, checkOwner(owner), expiresAt, at],
    );
    return changed === 1 ? { owner, expiresAt } : null;
  }

  /** Gives the lease up if `owner` holds it; true when it did. */
  async releaseLease(linkId: string, owner: string): Promise<boolean> {
    const changed = await this.db.execute(
      'UPDATE links SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2',
      [linkId, checkOwner(owner)],
    );
    return changed === 1;
  }

  private async whyNotUpdated(tx: SqlExecutor, tenant: string, id: string): Promise<AdminStoreError> {
    const rows = await tx.query<{ id: string }>('SELECT id FROM links WHERE tenant = $1 AND id = $2', [
      tenant,
      id,
    ]);
    return rows.length === 0
      ? notFound(tenant, id)
      : new AdminStoreError('LEASE_LOST', `lease on link ${id} is no longer held; nothing was saved`);
  }
}

function notFound(tenant: string, id: string): AdminStoreError {
  return new AdminStoreError('LINK_NOT_FOUND', `no link ${id} in tenant ${tenant}`);
}

function checkTtl(ttlMs: number): number {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
    throw new AdminStoreError('INVALID_INPUT', 'lease ttl must be a positive integer');
  return ttlMs;
}

function checkOwner(owner: string): string {
  if (typeof owner !== 'string' || owner === '')
    throw new AdminStoreError('INVALID_INPUT', 'lease owner must be non-empty');
  return owner;
}
