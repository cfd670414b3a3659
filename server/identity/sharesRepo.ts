import { AdminStoreError } from '../admin/adminStoreError.ts';
import { assertDocOfTenant, assertTenant, camelRow, SqlRepo } from '../admin/repoSupport.ts';
import type { Role } from '../auth/claims.ts';
import { newPublicId } from './secrets.ts';

/** Whom a share grants a role: one person (by e-mail) or every signed-in user of a tenant. */
export type Grantee = { user: string } | { tenant: string };

/** One share of one document. `tenant` owns the document and stays its data controller. */
export interface ShareRecord {
  id: string;
  tenant: string;
  doc: string;
  with: Grantee;
  role: Role;
  createdBy: string;
  createdAt: number;
}

interface ShareRow {
  id: string;
  tenant: string;
  doc: string;
  grantee_kind: 'user' | 'tenant';
  grantee: string;
  role: Role;
  created_by: string;
  created_at: number;
}

const COLUMNS = 'id, tenant, doc, grantee_kind, grantee, role, created_by, created_at';

/**
 * The `shares` table. One share per (document, grantee): sharing again with the same person or tenant changes
 * the role of the existing share and keeps its id. E-mail addresses are compared lower-cased.
 */
export class SharesRepo extends SqlRepo {
  /** Grants `role` on `doc` (a document of `tenant`) and returns the share, new or updated. */
  async grant(tenant: string, doc: string, to: Grantee, role: Role, by: string): Promise<ShareRecord> {
    assertDocOfTenant(tenant, doc);
    const [kind, grantee] = granteeKey(to);
    const rows = await this.db.query<ShareRow>(
      `INSERT INTO shares (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (doc, grantee_kind, grantee) DO UPDATE SET role = excluded.role
       RETURNING ${COLUMNS}`,
      [newPublicId(), tenant, doc, kind, grantee, role, by, this.now()],
    );
    return toRecord(rows[0]!);
  }

  /** The shares of one document, oldest first. */
  async listByDoc(tenant: string, doc: string): Promise<ShareRecord[]> {
    assertDocOfTenant(tenant, doc);
    const rows = await this.db.query<ShareRow>(
      `SELECT ${COLUMNS} FROM shares WHERE tenant = $1 AND doc = $2 ORDER BY created_at, id`,
      [tenant, doc],
    );
    return rows.map(toRecord);
  }

  /** Shares a tenant made of its documents (outgoing), newest first. */
  async listOutgoing(tenant: string): Promise<ShareRecord[]> {
    assertTenant(tenant);
    const rows = await this.db.query<ShareRow>(
      `SELECT ${COLUMNS} FROM shares WHERE tenant = $1 ORDER BY created_at DESC LIMIT 500`,
      [tenant],
    );
    return rows.map(toRecord);
  }

  /**
   * Shares that reach a user of `tenant` with e-mail `email` (or any user of `tenant`, when email is null):
   * the shares with that person and the shares with the whole tenant.
   */
  async listReaching(tenant: string, email: string | null): Promise<ShareRecord[]> {
    assertTenant(tenant);
    const rows = await this.db.query<ShareRow>(
      `SELECT ${COLUMNS} FROM shares
       WHERE (grantee_kind = 'tenant' AND grantee = $1) OR (grantee_kind = 'user' AND grantee = $2)
       ORDER BY created_at DESC LIMIT 2000`,
      [tenant, email?.toLowerCase() ?? ''],
    );
    return rows.map(toRecord);
  }

  /** Withdraws one share of `doc`; returns it, or throws SHARE_NOT_FOUND. */
  async withdraw(tenant: string, doc: string, id: string): Promise<ShareRecord> {
    assertDocOfTenant(tenant, doc);
    const rows = await this.db.query<ShareRow>(
      `DELETE FROM shares WHERE tenant = $1 AND doc = $2 AND id = $3 RETURNING ${COLUMNS}`,
      [tenant, doc, id],
    );
    if (!rows[0]) throw new AdminStoreError('SHARE_NOT_FOUND', `no share ${id} on ${doc}`);
    return toRecord(rows[0]);
  }
}

function granteeKey(to: Grantee): ['user' | 'tenant', string] {
  return 'user' in to ? ['user', to.user.trim().toLowerCase()] : ['tenant', to.tenant];
}

function toRecord(row: ShareRow): ShareRecord {
  const { granteeKind, grantee, ...rest } = camelRow(row);
  return { ...rest, with: granteeKind === 'user' ? { user: grantee } : { tenant: grantee } };
}
