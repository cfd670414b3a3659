import { AdminStoreError } from './adminStoreError.ts';
import { assertDocOfTenant, assertTenant, type Page, pageSize, SqlRepo } from './repoSupport.ts';

/** A saved version without its state: what the version history lists. */
export interface VersionInfo {
  id: number;
  doc: string;
  /** A name given by a user, or null for an automatic version. */
  name: string | null;
  /** The document's base (original package) when the version was saved, if any. */
  baseId: number | null;
  createdBy: string | null;
  createdAt: number;
}

/** A version with its Yjs state (`encodeStateAsUpdate` of the document when it was saved). */
export interface Version extends VersionInfo {
  state: Uint8Array;
}

interface VersionRow {
  id: number;
  doc: string;
  name: string | null;
  base_id: number | null;
  created_by: string | null;
  created_at: number;
  state?: Uint8Array;
}

/**
 * Version history of documents (`doc_versions`): named versions saved by users and automatic ones saved by
 * the server (e.g. before a connector's first pull). Every method takes the tenant; a version of another
 * tenant's document is never listed or returned.
 */
export class VersionsRepo extends SqlRepo {
  /** Saves a version of `doc` (`name` null = automatic) and returns it without its state. */
  async save(
    tenant: string,
    input: { doc: string; name?: string | null; state: Uint8Array; createdBy?: string | null },
  ): Promise<VersionInfo> {
    assertDocOfTenant(tenant, input.doc);
    const name = input.name ?? null;
    if (name !== null && (name.trim() === '' || name.length > 200)) {
      throw new AdminStoreError('INVALID_INPUT', 'version name must be 1-200 characters');
    }
    if (!(input.state instanceof Uint8Array))
      throw new AdminStoreError('INVALID_INPUT', 'version state must be bytes');
    const rows = await this.db.query<VersionRow>(
      `INSERT INTO doc_versions (tenant, doc, name, state, created_by, created_at, base_id)
       VALUES ($1, $2, $3, $4, $5, $6, (SELECT base_id FROM documents WHERE tenant = $1 AND name = $2))
       RETURNING id, doc, name, base_id, created_by, created_at`,
      [tenant, input.doc, name, input.state, input.createdBy ?? null, this.now()],
    );
    return toInfo(rows[0]!);
  }

  /** Versions of one document, newest first, a page at a time (`before` = previous page's `next`). */
  async list(
    tenant: string,
    doc: string,
    options: { limit?: number; before?: number | null; namedOnly?: boolean } = {},
  ): Promise<Page<VersionInfo, number>> {
    assertTenant(tenant);
    const limit = pageSize(options.limit);
    const rows = await this.db.query<VersionRow>(
      `SELECT id, doc, name, base_id, created_by, created_at FROM doc_versions
       WHERE tenant = $1 AND doc = $2 AND ($3 = 0 OR id < $3) AND ($4 = 0 OR name IS NOT NULL)
       ORDER BY id DESC LIMIT $5`,
      [tenant, doc, options.before ?? 0, options.namedOnly ? 1 : 0, limit + 1],
    );
    const items = rows.slice(0, limit).map(toInfo);
    return { items, next: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
  }

  /** One version with its state; `VERSION_NOT_FOUND` when this tenant has none with that id. */
  async get(tenant: string, id: number): Promise<Version> {
    assertTenant(tenant);
    if (!Number.isSafeInteger(id))
      throw new AdminStoreError('VERSION_NOT_FOUND', `no version ${id} in tenant ${tenant}`);
    const rows = await this.db.query<VersionRow>(
      'SELECT id, doc, name, base_id, created_by, created_at, state FROM doc_versions WHERE tenant = $1 AND id = $2',
      [tenant, id],
    );
    const row = rows[0];
    if (!row?.state) throw new AdminStoreError('VERSION_NOT_FOUND', `no version ${id} in tenant ${tenant}`);
    return { ...toInfo(row), state: row.state };
  }

  /** How many named versions `doc` has (the cap on named versions per document counts these). */
  async countNamed(tenant: string, doc: string): Promise<number> {
    assertTenant(tenant);
    const rows = await this.db.query<{ n: number }>(
      'SELECT count(*) AS n FROM doc_versions WHERE tenant = $1 AND doc = $2 AND name IS NOT NULL',
      [tenant, doc],
    );
    return Number(rows[0]?.n ?? 0);
  }
}

function toInfo(row: VersionRow): VersionInfo {
  return {
    id: Number(row.id),
    doc: row.doc,
    name: row.name,
    baseId: row.base_id === null || row.base_id === undefined ? null : Number(row.base_id),
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}
