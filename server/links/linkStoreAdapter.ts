import type { LinkPersistence, LinkState } from '../../connectors/sync/linkState.ts';
import type { LinkStore, SupervisedLink } from '../../connectors/sync/supervisorPorts.ts';
import { type AdminStores, createAdminStores } from '../admin/adminStores.ts';
import type { LinkRecord } from '../admin/linkRecord.ts';
import type { SecretBox } from '../admin/secretBox.ts';
import type { Storage } from '../storage/storage.ts';

/** The supervisor's view of a link record. */
export function supervisedLink(record: LinkRecord): SupervisedLink {
  return {
    id: record.id,
    tenant: record.tenant,
    doc: record.doc,
    provider: record.provider,
    credentialId: record.credentialId,
    remoteId: record.remoteId,
    remoteRev: record.remoteRev,
    initialMode: record.initialMode,
    consecutiveFailures: record.consecutiveFailures,
  };
}

/**
 * The link store port (`connectors/sync/supervisorPorts.ts`) over the admin database: leases and flags in the
 * `links` table, state saves fenced by the lease and made in one transaction with the live document's update
 * and the audit entry, failures counted in `consecutive_failures`.
 */
export class AdminLinkStore implements LinkStore {
  private readonly stores: AdminStores;

  constructor(
    private readonly storage: Storage,
    private readonly box: SecretBox,
  ) {
    this.stores = createAdminStores(storage.sql, box);
  }

  async listDue(limit: number): Promise<SupervisedLink[]> {
    return (await this.stores.linkSync.listDue(limit)).map(supervisedLink);
  }

  async acquireLease(linkId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.stores.linkSync.acquireLease(linkId, owner, ttlMs)) !== null;
  }

  async renewLease(linkId: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.stores.linkSync.renewLease(linkId, owner, ttlMs)) !== null;
  }

  async releaseLease(linkId: string, owner: string): Promise<void> {
    await this.stores.linkSync.releaseLease(linkId, owner);
  }

  async load(link: SupervisedLink): Promise<LinkState> {
    const stored = await this.stores.linkSync.load(link.tenant, link.id);
    return {
      shadow: stored.shadow,
      remoteRev: stored.remoteRev,
      remoteSnapshot: stored.remoteSnapshot,
      pendingPush: stored.pendingPush ?? null,
      liveEndedAt: stored.liveEndedAt ?? null,
    };
  }

  async setStatus(link: SupervisedLink, status: LinkRecord['status'], detail: string): Promise<void> {
    await this.stores.linkSync.report(link.tenant, link.id, {
      status,
      detail,
      error: null,
      nextAttemptAt: null,
    });
  }

  markLiveChanged(docs: readonly string[], owner: string): Promise<void> {
    return this.stores.linkSync.markLiveChanged(docs, owner);
  }

  markRemoteSessions(docs: string[], owner: string): Promise<void> {
    return this.stores.linkSync.markRemoteSessions(docs, owner);
  }

  markRemoteLiveClients(entries: { doc: string; provider: string }[], owner: string): Promise<void> {
    return this.stores.linkSync.markRemoteLiveClients(entries, owner);
  }

  crossInstanceFlags(owner: string) {
    return this.stores.linkSync.crossInstanceFlags(owner);
  }

  persistence(link: SupervisedLink, leaseOwner: string): LinkPersistence {
    const { tenant, id, doc } = link;
    const actor = `connector:${id}`;
    return {
      commit: async (state, liveUpdate) => {
        if (state.pendingPush) {
          await this.stores.linkSync.recordPendingPush(tenant, id, state.pendingPush, { leaseOwner });
          return;
        }
        await this.storage.sql.transaction(async (tx) => {
          const stores = createAdminStores(tx, this.box);
          await stores.linkSync.save(
            tenant,
            id,
            {
              remoteRev: state.remoteRev,
              shadow: state.shadow,
              remoteSnapshot: state.remoteSnapshot,
              pendingPush: null,
              liveEndedAt: state.liveEndedAt ?? null,
            },
            { liveUpdates: liveUpdate ? [liveUpdate] : [], leaseOwner },
          );
          if (liveUpdate) {
            await stores.audit.append({
              tenant,
              actor,
              action: 'connector.pull',
              target: doc,
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
          target: doc,
          details: { link: id, provider: link.provider, rev, requests },
        });
      },
      countFailure: (error) => this.stores.linkSync.countFailure(tenant, id, error),
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
