import { AdminStoreError } from './adminStoreError.ts';
import { assertDocOfTenant, assertTenant, camelRow, type Page, pageSize, SqlRepo } from './repoSupport.ts';

/** A registered document: what the document list shows. Content lives in the update log, not here. */
export interface DocumentRecord {
  /** `<tenant>/<id>`, the Hocuspocus document name; never changes. */
  name: string;
  tenant: string;
  title: string;
  createdBy: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The original package a document was imported from: what export to the same format writes over. */
export interface DocumentBase {
  id: number;
  format: 'docx' | 'odt';
  bytes: Uint8Array;
}

/** What creating a document needs; the title defaults to the id part of the name. */
export interface NewDocument {
  name: string;
  title?: string;
  createdBy?: string | null;
}

interface DocumentRow {
  name: string;
  tenant: string;
  title: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'name, tenant, title, created_by, created_at, updated_at';

/**
 * The registry of documents per tenant (the `documents` table), for document lists and titles. Renaming
 * changes the title only: the name is the document's identity in the update log, in links and in tokens.
 * Every method takes the tenant and only ever reads or writes documents named `<tenant>/...`.
 */
export class DocumentsRepo extends SqlRepo {
  /** Registers the document if it is not yet (idempotent; an existing title is kept) and returns it. */
  async ensure(tenant: string, input: NewDocument): Promise<DocumentRecord> {
    assertDocOfTenant(tenant, input.name);
    await this.insert(tenant, input);
    const existing = await this.get(tenant, input.name);
    if (!existing) throw new AdminStoreError('DOCUMENT_NOT_FOUND', `document ${input.name} vanished`);
    return existing;
  }

  /** Registers a new document; `DOCUMENT_EXISTS` when the name is taken. */
  async create(tenant: string, input: NewDocument): Promise<DocumentRecord> {
    assertDocOfTenant(tenant, input.name);
    const row = await this.insert(tenant, input);
    if (!row) throw new AdminStoreError('DOCUMENT_EXISTS', `document ${input.name} already exists`);
    return toRecord(row);
  }

  /** Sets the title; `DOCUMENT_NOT_FOUND` when this tenant has no such document. */
  async rename(tenant: string, name: string, title: string): Promise<DocumentRecord> {
    assertTenant(tenant);
    const rows = await this.db.query<DocumentRow>(
      `UPDATE documents SET title = $3, updated_at = $4 WHERE tenant = $1 AND name = $2 RETURNING ${COLUMNS}`,
      [tenant, name, checkTitle(title), this.now()],
    );
    const row = rows[0];
    if (!row) throw new AdminStoreError('DOCUMENT_NOT_FOUND', `no document ${name} in tenant ${tenant}`);
    return toRecord(row);
  }

  /** Records that the document changed (updated_at), if it is registered. */
  async touch(tenant: string, name: string): Promise<void> {
    assertTenant(tenant);
    await this.db.execute('UPDATE documents SET updated_at = $3 WHERE tenant = $1 AND name = $2', [
      tenant,
      name,
      this.now(),
    ]);
  }

  /** The document, or null when this tenant has none of that name. */
  async get(tenant: string, name: string): Promise<DocumentRecord | null> {
    assertTenant(tenant);
    const rows = await this.db.query<DocumentRow>(
      `SELECT ${COLUMNS} FROM documents WHERE tenant = $1 AND name = $2`,
      [tenant, name],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * The tenant's documents ordered by name, optionally only names starting with `prefix` (a full-name prefix,
   * e.g. `dept-a/reports-`), one page at a time: pass the previous page's `next` as `after`.
   */
  async list(
    tenant: string,
    options: { prefix?: string; limit?: number; after?: string | null } = {},
  ): Promise<Page<DocumentRecord>> {
    assertTenant(tenant);
    const limit = pageSize(options.limit);
    const prefix = options.prefix ?? '';
    // substr equality rather than LIKE: no wildcard escaping, same case rules on both back ends.
    const rows = await this.db.query<DocumentRow>(
      `SELECT ${COLUMNS} FROM documents
       WHERE tenant = $1 AND substr(name, 1, length(CAST($2 AS TEXT))) = $2 AND ($3 = '' OR name > $3)
       ORDER BY name LIMIT $4`,
      [tenant, prefix, options.after ?? '', limit + 1],
    );
    const items = rows.slice(0, limit).map(toRecord);
    return { items, next: rows.length > limit ? (items.at(-1)?.name ?? null) : null };
  }

  /**
   * Stores `bytes` (a .docx or .odt package) as the document's base and makes it the current one; versions
   * saved from now on carry it. `DOCUMENT_NOT_FOUND` when this tenant has no such document.
   */
  async saveBase(
    tenant: string,
    name: string,
    base: { format: DocumentBase['format']; bytes: Uint8Array },
  ): Promise<number> {
    assertDocOfTenant(tenant, name);
    if (!(await this.get(tenant, name)))
      throw new AdminStoreError('DOCUMENT_NOT_FOUND', `no document ${name} in tenant ${tenant}`);
    const rows = await this.db.query<{ id: number }>(
      'INSERT INTO doc_bases (tenant, doc, format, package, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [tenant, name, base.format, base.bytes, this.now()],
    );
    const id = Number(rows[0]!.id);
    await this.useBase(tenant, name, id);
    return id;
  }

  /** Makes base `id` (one of this document's) the current one, e.g. when a version is restored. */
  async useBase(tenant: string, name: string, id: number): Promise<void> {
    assertDocOfTenant(tenant, name);
    await this.db.execute(
      `UPDATE documents SET base_id = $3 WHERE tenant = $1 AND name = $2
       AND EXISTS (SELECT 1 FROM doc_bases WHERE id = $3 AND tenant = $1 AND doc = $2)`,
      [tenant, name, id],
    );
  }

  /** The document's current base, or null when it was not imported from a package. */
  async base(tenant: string, name: string): Promise<DocumentBase | null> {
    assertTenant(tenant);
    const rows = await this.db.query<{ id: number; format: DocumentBase['format']; package: Uint8Array }>(
      `SELECT b.id, b.format, b.package FROM documents d JOIN doc_bases b ON b.id = d.base_id
       WHERE d.tenant = $1 AND d.name = $2 AND b.tenant = $1 AND b.doc = $2`,
      [tenant, name],
    );
    const row = rows[0];
    return row ? { id: Number(row.id), format: row.format, bytes: new Uint8Array(row.package) } : null;
  }

  /** Inserts unless the name exists; returns the new row, or undefined when it existed. */
  private async insert(tenant: string, input: NewDocument): Promise<DocumentRow | undefined> {
    const at = this.now();
    const title = checkTitle(input.title ?? input.name.slice(tenant.length + 1));
    const rows = await this.db.query<DocumentRow>(
      `INSERT INTO documents (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
      [input.name, tenant, title, input.createdBy ?? null, at],
    );
    return rows[0];
  }
}

function checkTitle(title: string): string {
  if (typeof title !== 'string' || title.trim() === '' || title.length > 500) {
    throw new AdminStoreError('INVALID_INPUT', 'title must be 1-500 characters');
  }
  return title;
}

function toRecord(row: DocumentRow): DocumentRecord {
  return camelRow(row);
}
