import { type LinkStatus, linkStatuses } from '../../connectors/sync/linkState.ts';
import type { Provider } from './credentialsRepo.ts';

export { type LinkStatus, linkStatuses };

/** A link between one document and one remote file, without its (large) sync state. */
export interface LinkRecord {
  id: string;
  tenant: string;
  doc: string;
  credentialId: string;
  provider: Provider;
  remoteId: string;
  remoteUrl: string | null;
  /** How the link was asked to start (`remote`, `local` or `merge`), kept so a crash during linking resumes it. */
  initialMode: 'remote' | 'local' | 'merge' | null;
  status: LinkStatus;
  statusDetail: string | null;
  lastError: string | null;
  /** Google `revisionId` or Graph `eTag` the shadow matches; null before the first sync. */
  remoteRev: string | null;
  consecutiveFailures: number;
  nextAttemptAt: number | null;
  leaseOwner: string | null;
  leaseExpiresAt: number | null;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
  lastSyncedAt: number | null;
}

/** Row shape of the `LINK_COLUMNS` selection. */
export interface LinkRow {
  id: string;
  tenant: string;
  doc: string;
  credential_id: string;
  provider: Provider;
  remote_id: string;
  remote_url: string | null;
  initial_mode: string | null;
  status: string;
  status_detail: string | null;
  last_error: string | null;
  remote_rev: string | null;
  consecutive_failures: number;
  next_attempt_at: number | null;
  lease_owner: string | null;
  lease_expires_at: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  last_synced_at: number | null;
}

/** Every column of `links` except the sync-state blobs (shadow, remote_snapshot). */
export const LINK_COLUMNS =
  'id, tenant, doc, credential_id, provider, remote_id, remote_url, initial_mode, status, status_detail, last_error, ' +
  'remote_rev, consecutive_failures, next_attempt_at, lease_owner, lease_expires_at, created_by, created_at, ' +
  'updated_at, last_synced_at';

/** Maps a row to the record; a status written by a newer version shows as `error` rather than failing. */
export function toLinkRecord(row: LinkRow): LinkRecord {
  const status = (linkStatuses as readonly string[]).includes(row.status)
    ? (row.status as LinkStatus)
    : 'error';
  return {
    id: row.id,
    tenant: row.tenant,
    doc: row.doc,
    credentialId: row.credential_id,
    provider: row.provider,
    remoteId: row.remote_id,
    remoteUrl: row.remote_url,
    status,
    statusDetail: row.status_detail,
    lastError: row.last_error,
    remoteRev: row.remote_rev,
    initialMode:
      row.initial_mode === 'remote' || row.initial_mode === 'local' || row.initial_mode === 'merge'
        ? row.initial_mode
        : null,
    consecutiveFailures: Number(row.consecutive_failures),
    nextAttemptAt: row.next_attempt_at,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastSyncedAt: row.last_synced_at,
  };
}

/** Error text as stored: bounded, so a huge remote error body cannot bloat every listing. */
export function boundedError(message: string | null): string | null {
  return message === null ? null : message.slice(0, 2000);
}
