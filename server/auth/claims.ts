import { z } from 'zod';

/** What a connection may do with a document. `comment` is read-only for document content. */
export type Role = 'read' | 'comment' | 'edit';

const role = z.enum(['read', 'comment', 'edit']);

/** A tenant id: a lowercase slug, the first segment of every document name `<tenant>/<id>`. */
export const tenantPattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The claims contract every token must meet (docs/auth.md). `docs` maps a document name (`<tenant>/<id>`) or a
 * prefix ending in `*` to a role.
 */
export const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1).optional(),
  /** The user's e-mail address, which shares with a person (`{ user: "<email>" }`) match. */
  email: z.string().email().optional(),
  tenant: z.string().regex(tenantPattern, 'tenant must be a lowercase slug'),
  docs: z.record(z.string().min(1), role).default({}),
  admin: z.boolean().optional(),
});

export type Claims = z.infer<typeof claimsSchema>;

/** Claims of a verified token, with its lifetime: `exp` and `iat` in epoch seconds (`iat` when present). */
export interface VerifiedClaims extends Claims {
  exp: number;
  iat: number | null;
}

const documentName = /^([a-z0-9][a-z0-9-]{0,62})\/([A-Za-z0-9][A-Za-z0-9._-]{0,127})$/;

/** Splits `<tenant>/<id>`, or returns null when the name is not a valid document name. */
export function parseDocumentName(name: string): { tenant: string; id: string } | null {
  const match = documentName.exec(name);
  return match ? { tenant: match[1]!, id: match[2]! } : null;
}

/** Roles in increasing strength: a stronger grant includes what a weaker one allows. */
export const roleRank: Record<Role, number> = { read: 1, comment: 2, edit: 3 };

/**
 * Grants the server itself adds to authenticated claims: documents of other tenants shared with this user or
 * their tenant (server/identity/). Never read from a token: `claimsSchema` strips unknown keys.
 */
export interface ServerGrants {
  shared?: Record<string, Role>;
}

/**
 * The role these claims grant on `doc`, or null. Exact names and `*` prefixes both count and the strongest
 * grant wins. A token only ever reaches documents of its own tenant: cross-tenant sharing is a server-side
 * grant (`shared`), never something a token can claim for itself.
 */
export function roleFor(claims: Claims & ServerGrants, doc: string): Role | null {
  const parsed = parseDocumentName(doc);
  if (!parsed) return null;
  let best: Role | null = claims.shared?.[doc] ?? null;
  if (parsed.tenant !== claims.tenant) return best;
  for (const [pattern, granted] of Object.entries(claims.docs)) {
    const matches = pattern.endsWith('*') ? doc.startsWith(pattern.slice(0, -1)) : pattern === doc;
    if (matches && (best === null || roleRank[granted] > roleRank[best])) best = granted;
  }
  return best;
}
