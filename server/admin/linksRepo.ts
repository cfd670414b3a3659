import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '../storage/sql.ts';
import { AdminStoreError } from './adminStoreError.ts';
import type { Provider } from './credentialsRepo.ts';
import {
  boundedError,
  LINK_COLUMNS,
  type LinkRecord,
  type LinkRow,
  type LinkStatus,
  linkStatuses,
  toLinkRecord,
} from './linkRecord.ts';
import { assertDocOfTenant, assertTenant, type Clock, type Page, pageSize } from './repoSupport.ts';

/** What creating a link takes; its provider is the credential's. */
export interface NewLink {
  doc: string;
  credentialId: string;
  remoteId: string;
  remoteUrl?: string | null;
  initialMode?: 'remote' | 'local' | 'merge' | null;
  createdBy?: string | null;
}

/**
 * Links between a tenant's documents and remote files, as admins manage them: create, list, status,
 * delete. A link can only use a credential of its own tenant (checked here with a typed error, and by a
 * composite foreign key in the database). The engine's side (sync state, failures, leases) is
 * `LinkSyncStore`. Every method takes the tenant and never touches another tenant's links.
 */
export class LinksRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly now: Clock = Date.now,
  ) {}

  /**
   * Creates a link. `CREDENTIAL_NOT_FOUND` when no credential has that id, `CREDENTIAL_TENANT_MISMATCH` when it
   * belongs to another tenant (ids are random UUIDs, so this reveals nothing guessable), `DOCUMENT_TENANT_MISMATCH`
   * when the document is not `<tenant>/...`, `LINK_EXISTS` when the document is already linked to that remote file.
   */
  async create(tenant: string, input: NewLink): Promise<LinkRecord> {
    assertDocOfTenant(tenant, input.doc);
    if (typeof input.remoteId !== 'string' || input.remoteId === '' || input.remoteId.length > 1000) {
      throw new AdminStoreError('INVALID_INPUT', 'remoteId must be 1-1000 characters');
    }
    return this.db.transaction(async (tx) => {
      const credentials = await tx.query<{ tenant: string; provider: Provider }>(
        'SELECT tenant, provider FROM credentials WHERE id = $1',
        [input.credentialId],
      );
      const credential = credentials[0];
      if (!credential) {
        throw new AdminStoreError('CREDENTIAL_NOT_FOUND', `no credential ${input.credentialId}`);
      }
      if (credential.tenant !== tenant) {
        throw new AdminStoreError(
          'CREDENTIAL_TENANT_MISMATCH',
          `credential ${input.credentialId} does not belong to tenant ${tenant}`,
        );
      }
      const at = this.now();
      const rows = await tx.query<LinkRow>(
        `INSERT INTO links (id, tenant, doc, credential_id, provider, remote_id, remote_url, created_by,
           created_at, updated_at, status, initial_mode)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 'linking', $10)
         ON CONFLICT (doc, provider, remote_id) DO NOTHING
         RETURNING ${LINK_COLUMNS}`,
        [
          randomUUID(),
          tenant,
          input.doc,
          input.credentialId,
          credential.provider,
          input.remoteId,
          input.remoteUrl ?? null,
          input.createdBy ?? null,
          at,
          input.initialMode ?? null,
        ],
      );
      const row = rows[0];
      if (!row) {
        throw new AdminStoreError(
          'LINK_EXISTS',
          `${input.doc} is already linked to ${credential.provider} file ${input.remoteId}`,
        );
      }
      return toLinkRecord(row);
    });
  }

  /** The link, or null when this tenant has none with that id. */
  async get(tenant: string, id: string): Promise<LinkRecord | null> {
    assertTenant(tenant);
    const rows = await this.db.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links WHERE tenant = $1 AND id = $2`,
      [tenant, id],
    );
    return rows[0] ? toLinkRecord(rows[0]) : null;
  }

  /** This tenant's links to `remoteId` through one of `credentialIds`, oldest first. */
  async listByRemote(tenant: string, credentialIds: string[], remoteId: string): Promise<LinkRecord[]> {
    assertTenant(tenant);
    const rows = await this.db.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links WHERE tenant = $1 AND remote_id = $2 ORDER BY created_at, id`,
      [tenant, remoteId],
    );
    return rows.map(toLinkRecord).filter((link) => credentialIds.includes(link.credentialId));
  }

  /** Every link of one document of this tenant, oldest first. */
  async listByDoc(tenant: string, doc: string): Promise<LinkRecord[]> {
    assertTenant(tenant);
    const rows = await this.db.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links WHERE tenant = $1 AND doc = $2 ORDER BY created_at, id`,
      [tenant, doc],
    );
    return rows.map(toLinkRecord);
  }

  /** The tenant's links ordered by document then id, a page at a time (`after` = previous `next`). */
  async listByTenant(
    tenant: string,
    options: { limit?: number; after?: string | null } = {},
  ): Promise<Page<LinkRecord>> {
    assertTenant(tenant);
    const limit = pageSize(options.limit);
    const [afterDoc, afterId] = decodeCursor(options.after);
    const rows = await this.db.query<LinkRow>(
      `SELECT ${LINK_COLUMNS} FROM links
       WHERE tenant = $1 AND (doc > $2 OR (doc = $2 AND id > $3))
       ORDER BY doc, id LIMIT $4`,
      [tenant, afterDoc, afterId, limit + 1],
    );
    const items = rows.slice(0, limit).map(toLinkRecord);
    const last = items.at(-1);
    return { items, next: rows.length > limit && last ? encodeCursor(last.doc, last.id) : null };
  }

  /**
   * Sets status and detail (e.g. an admin pausing or resuming a link). Resuming (`linking`) also clears the
   * failure counter and retry time, so a quarantined link gets a fresh start.
   */
  async setStatus(
    tenant: string,
    id: string,
    status: LinkStatus,
    detail: string | null = null,
  ): Promise<LinkRecord> {
    assertTenant(tenant);
    if (!linkStatuses.includes(status)) throw new AdminStoreError('INVALID_INPUT', 'unknown link status');
    const reset = status === 'linking' ? 1 : 0;
    const rows = await this.db.query<LinkRow>(
      `UPDATE links SET status = $3, status_detail = $4, updated_at = $5,
         consecutive_failures = CASE WHEN $6 = 1 THEN 0 ELSE consecutive_failures END,
         next_attempt_at = CASE WHEN $6 = 1 THEN NULL ELSE next_attempt_at END
       WHERE tenant = $1 AND id = $2 RETURNING ${LINK_COLUMNS}`,
      [tenant, id, status, boundedError(detail), this.now(), reset],
    );
    return found(rows[0], tenant, id);
  }

  /** Deletes the link and its sync state; `LINK_NOT_FOUND` when this tenant has no such link. */
  async delete(tenant: string, id: string): Promise<void> {
    assertTenant(tenant);
    const deleted = await this.db.execute('DELETE FROM links WHERE tenant = $1 AND id = $2', [tenant, id]);
    if (deleted === 0) throw new AdminStoreError('LINK_NOT_FOUND', `no link ${id} in tenant ${tenant}`);
  }
}

function found(row: LinkRow | undefined, tenant: string, id: string): LinkRecord {
  if (!row) throw new AdminStoreError('LINK_NOT_FOUND', `no link ${id} in tenant ${tenant}`);
  return toLinkRecord(row);
}

function encodeCursor(doc: string, id: string): string {
  return Buffer.from(JSON.stringify([doc, id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | null | undefined): [string, string] {
  if (!cursor) return ['', ''];
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string')
      return [value[0], value[1]];
  } catch {
    // fall through to the typed error
  }
  throw new AdminStoreError('INVALID_INPUT', 'malformed page cursor');
}
