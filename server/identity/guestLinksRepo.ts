import { AdminStoreError } from '../admin/adminStoreError.ts';
import { assertDocOfTenant, assertTenant, camelRow, SqlRepo } from '../admin/repoSupport.ts';
import type { Role } from '../auth/claims.ts';
import { hashSecret, newPublicId, newSecret } from './secrets.ts';

/** One guest link (never its token: only the hash is stored). */
export interface GuestLinkRecord {
  id: string;
  tenant: string;
  doc: string;
  role: Role;
  label: string | null;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

interface GuestLinkRow {
  id: string;
  tenant: string;
  doc: string;
  role: Role;
  label: string | null;
  created_by: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

const COLUMNS = 'id, tenant, doc, role, label, created_by, created_at, expires_at, revoked_at';

/**
 * The `guest_links` table: a link lets someone with no trusted account open one document with one role until
 * it expires or is revoked. The token (256 random bits) is returned once at creation and stored as a hash.
 */
export class GuestLinksRepo extends SqlRepo {
  /** Creates a link to `doc`; returns it with its token (the only time the token exists in clear). */
  async create(
    tenant: string,
    doc: string,
    input: { role: Role; expiresInHours: number; label?: string | undefined; createdBy: string },
  ): Promise<{ link: GuestLinkRecord; token: string }> {
    assertDocOfTenant(tenant, doc);
    const token = newSecret('dbg');
    const at = this.now();
    const rows = await this.db.query<GuestLinkRow>(
      `INSERT INTO guest_links (id, tenant, doc, token_hash, role, label, created_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${COLUMNS}`,
      [
        newPublicId(),
        tenant,
        doc,
        hashSecret(token),
        input.role,
        input.label ?? null,
        input.createdBy,
        at,
        at + Math.round(input.expiresInHours * 3_600_000),
      ],
    );
    return { link: toRecord(rows[0]!), token };
  }

  /** The usable (not revoked, not expired) link whose token is `token`, or null. */
  async byToken(token: string): Promise<GuestLinkRecord | null> {
    const rows = await this.db.query<GuestLinkRow>(
      `SELECT ${COLUMNS} FROM guest_links WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [hashSecret(token), this.now()],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** The usable link `id`, or null when it is unknown, revoked or expired. */
  async usable(id: string): Promise<GuestLinkRecord | null> {
    const rows = await this.db.query<GuestLinkRow>(
      `SELECT ${COLUMNS} FROM guest_links WHERE id = $1 AND revoked_at IS NULL AND expires_at > $2`,
      [id, this.now()],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Links of one document, or of the whole tenant when `doc` is omitted, newest first (revoked ones too). */
  async list(tenant: string, doc?: string): Promise<GuestLinkRecord[]> {
    assertTenant(tenant);
    const rows = await this.db.query<GuestLinkRow>(
      `SELECT ${COLUMNS} FROM guest_links WHERE tenant = $1 AND ($2 = '' OR doc = $2)
       ORDER BY created_at DESC LIMIT 500`,
      [tenant, doc ?? ''],
    );
    return rows.map(toRecord);
  }

  /** Refuses the link from now on; GUEST_LINK_NOT_FOUND when `doc` has no such link. */
  async revoke(tenant: string, doc: string, id: string): Promise<GuestLinkRecord> {
    assertDocOfTenant(tenant, doc);
    const rows = await this.db.query<GuestLinkRow>(
      `UPDATE guest_links SET revoked_at = coalesce(revoked_at, $4) WHERE tenant = $1 AND doc = $2 AND id = $3
       RETURNING ${COLUMNS}`,
      [tenant, doc, id, this.now()],
    );
    if (!rows[0]) throw new AdminStoreError('GUEST_LINK_NOT_FOUND', `no guest link ${id} on ${doc}`);
    return toRecord(rows[0]);
  }
}

function toRecord(row: GuestLinkRow): GuestLinkRecord {
  return camelRow(row);
}
