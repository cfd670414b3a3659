import { z } from 'zod';
import { AdminStoreError } from './adminStoreError.ts';
import { assertTenant, type Page, pageSize, SqlRepo } from './repoSupport.ts';

/** Free-form, non-secret details of an audited action (ids, old and new titles, counts). */
export const auditDetailsSchema = z.record(z.string(), z.json());
export type AuditDetails = z.infer<typeof auditDetailsSchema>;

/** One audited action: who did what to which target, in which tenant. */
export interface NewAuditEntry {
  tenant: string;
  /** The user id from the admin's token, or `connector:<linkId>` for connector writes. */
  actor: string;
  /** A stable dotted verb, e.g. `credential.create`, `link.delete`, `connector.push`. */
  action: string;
  target?: string | null;
  details?: AuditDetails;
}

export interface AuditEntry {
  id: number;
  tenant: string;
  actor: string;
  action: string;
  target: string | null;
  details: AuditDetails;
  at: number;
}

interface AuditRow {
  id: number;
  tenant: string;
  actor: string;
  action: string;
  target: string | null;
  details: string;
  at: number;
}

/**
 * The append-only audit log (DESIGN section 5): every admin action and every connector write. There is no
 * update or delete method, and the database refuses both by trigger. To audit a change atomically with it,
 * construct an AuditRepo on the same `tx` inside `storage.sql.transaction`.
 */
export class AuditRepo extends SqlRepo {
  /** Appends one entry and returns its id (ids increase with each append). */
  async append(entry: NewAuditEntry): Promise<number> {
    assertTenant(entry.tenant);
    if (
      typeof entry.actor !== 'string' ||
      entry.actor === '' ||
      typeof entry.action !== 'string' ||
      entry.action === ''
    ) {
      throw new AdminStoreError('INVALID_INPUT', 'audit entries need an actor and an action');
    }
    const details = auditDetailsSchema.safeParse(entry.details ?? {});
    if (!details.success) throw new AdminStoreError('INVALID_INPUT', 'audit details must be a JSON object');
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO audit_log (tenant, actor, action, target, details, at) VALUES ($1, $2, $3, $4, $5, $6)
       RETURNING id`,
      [
        entry.tenant,
        entry.actor,
        entry.action,
        entry.target ?? null,
        JSON.stringify(details.data),
        this.now(),
      ],
    );
    return Number(rows[0]!.id);
  }

  /** The tenant's entries newest first, a page at a time (`before` = previous page's `next`). */
  async list(
    tenant: string,
    options: { limit?: number; before?: number | null } = {},
  ): Promise<Page<AuditEntry, number>> {
    assertTenant(tenant);
    const limit = pageSize(options.limit);
    const rows = await this.db.query<AuditRow>(
      `SELECT id, tenant, actor, action, target, details, at FROM audit_log
       WHERE tenant = $1 AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3`,
      [tenant, options.before ?? 0, limit + 1],
    );
    const items = rows.slice(0, limit).map(
      (row): AuditEntry => ({
        id: Number(row.id),
        tenant: row.tenant,
        actor: row.actor,
        action: row.action,
        target: row.target,
        details: auditDetailsSchema.parse(JSON.parse(row.details)),
        at: row.at,
      }),
    );
    return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  }
}
