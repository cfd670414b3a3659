import { z } from 'zod';

/** What a connection may do with a document. `comment` is read-only for document content. */
export type Role = 'read' | 'comment' | 'edit';

const role = z.enum(['read', 'comment', 'edit']);

/**
 * The claims contract every token must meet (docs/auth.md). `docs` maps a document name (`<tenant>/<id>`) or a
 * prefix ending in `*` to a role.
 */
export const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1).optional(),
  tenant: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'tenant must be a lowercase slug'),
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

const rank: Record<Role, number> = { read: 1, comment: 2, edit: 3 };

/**
 * The role these claims grant on `doc`, or null. Exact names and `*` prefixes both count and the strongest
 * grant wins. A token only ever reaches documents of its own tenant: cross-tenant sharing is a server-side
 * grant, never something a token can claim for itself.
 */
export function roleFor(claims: Claims, doc: string): Role | null {
  const parsed = parseDocumentName(doc);
  if (!parsed || parsed.tenant !== claims.tenant) return null;
  let best: Role | null = null;
  for (const [pattern, granted] of Object.entries(claims.docs)) {
    const matches = pattern.endsWith('*') ? doc.startsWith(pattern.slice(0, -1)) : pattern === doc;
    if (matches && (best === null || rank[granted] > rank[best])) best = granted;
  }
  return best;
}
