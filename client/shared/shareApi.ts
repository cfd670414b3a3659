import * as z from 'zod/mini';
import { call } from './api.ts';

const roleSchema = z.enum(['read', 'comment', 'edit']);
/** A role on a document. */
export type Role = z.infer<typeof roleSchema>;

const shareSchema = z.object({
  id: z.string(),
  with: z.union([z.object({ user: z.string() }), z.object({ tenant: z.string() })]),
  role: roleSchema,
});
/** One share of a document, as the Share dialog lists it. */
export type Share = z.infer<typeof shareSchema>;

const guestLinkSchema = z.object({
  id: z.string(),
  role: roleSchema,
  label: z.nullable(z.string()),
  expiresAt: z.number(),
  revokedAt: z.nullable(z.number()),
});
/** One guest link of a document (never its token). */
export type GuestLink = z.infer<typeof guestLinkSchema>;

const base = (doc: string) => `/api/documents/${doc}`;

/** The document's shares (owner and tenant admins only). */
export async function listShares(doc: string): Promise<Share[]> {
  return (await call(`${base(doc)}/shares`, z.object({ shares: z.array(shareSchema) }))).shares;
}

/** Shares `doc` with a person (e-mail) or a department (tenant id). */
export function addShare(doc: string, to: { user: string } | { tenant: string }, role: Role) {
  return call(`${base(doc)}/shares`, z.object({ id: z.string() }), {
    method: 'POST',
    body: JSON.stringify({ with: to, role }),
  });
}

/** Withdraws a share: its holders' open editors close within seconds. */
export function removeShare(doc: string, id: string) {
  return call(`${base(doc)}/shares/${encodeURIComponent(id)}`, z.unknown(), { method: 'DELETE' });
}

/** The document's guest links, newest first. */
export async function listGuestLinks(doc: string): Promise<GuestLink[]> {
  return (await call(`${base(doc)}/guest-links`, z.object({ guestLinks: z.array(guestLinkSchema) })))
    .guestLinks;
}

/** Makes a guest link; the URL is shown once (the server keeps only a hash of it). */
export function createGuestLink(doc: string, input: { role: Role; expiresInHours: number; label?: string }) {
  return call(`${base(doc)}/guest-links`, z.object({ id: z.string(), url: z.string() }), {
    method: 'POST',
    body: JSON.stringify(input),
  });
}

/** Refuses a guest link from now on; its open editors close within seconds. */
export function revokeGuestLink(doc: string, id: string) {
  return call(`${base(doc)}/guest-links/${encodeURIComponent(id)}`, z.unknown(), { method: 'DELETE' });
}
