import type { SqlExecutor } from '../storage/sql.ts';
import { AdminStoreError } from './adminStoreError.ts';

/** Milliseconds since the epoch; repositories take one so tests can move time without waiting. */
export type Clock = () => number;

/**
 * What a repository works on: the database, or one transaction (a repository built on `tx` inside
 * `storage.sql.transaction` joins it), and the clock its timestamps come from.
 */
export abstract class SqlRepo {
  constructor(
    protected readonly db: SqlExecutor,
    protected readonly now: Clock = Date.now,
  ) {}
}

/** One page of a keyset-paginated list; `next` is the cursor of the following page, null on the last. */
export interface Page<T, C = string> {
  items: T[];
  next: C | null;
}

/** `created_at` -> `createdAt`, as a type. */
type Camel<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;

/** A database row with its snake_case column names as the camelCase properties records use. */
export type CamelRow<Row> = { [K in keyof Row as Camel<K & string>]: Row[K] };

/**
 * A row as a record: every column under its camelCase name, values untouched. The admin and identity
 * repositories select exactly the columns their records hold and convert the few that need it (JSON,
 * booleans) after this, so the column-by-column copies are written once.
 */
export function camelRow<Row extends object>(row: Row): CamelRow<Row> {
  const record: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    record[key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] = value;
  return record as CamelRow<Row>;
}

/** Page size when the caller gives none, and the most one page may hold. */
export const DEFAULT_PAGE = 50;
export const MAX_PAGE = 500;

/** A page size clamped to 1..MAX_PAGE. */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE;
  return Math.min(MAX_PAGE, Math.max(1, Math.floor(limit)));
}

/**
 * Rejects a tenant id that could not be the first segment of a document name `<tenant>/<id>`. Repositories
 * call it on every tenant they are given, so a blank or slash-bearing tenant never reaches a query.
 */
export function assertTenant(tenant: string): void {
  if (typeof tenant !== 'string' || tenant === '' || tenant.includes('/')) {
    throw new AdminStoreError('INVALID_INPUT', 'tenant must be a non-empty string without "/"');
  }
}

/**
 * Documents are named `<tenant>/<id>` (docs/admin-api.md): a document belongs to the tenant its name starts
 * with, and a tenant's admin, credentials and links can only act on its own documents (DESIGN section 5).
 */
export function assertDocOfTenant(tenant: string, doc: string): void {
  assertTenant(tenant);
  if (typeof doc !== 'string' || !doc.startsWith(`${tenant}/`) || doc.length === tenant.length + 1) {
    throw new AdminStoreError('DOCUMENT_TENANT_MISMATCH', `document is not named ${tenant}/<id>`);
  }
}

/** True when `error` is a unique-constraint violation on either back end. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
