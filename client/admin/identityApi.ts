import * as z from 'zod/mini';
import { call } from '../shared/api.ts';

const providerSchema = z.object({
  id: z.string(),
  label: z.string(),
  issuer: z.string(),
  clientId: z.string(),
  clientAuthentication: z.string(),
  redirectUri: z.string(),
});
const sessionSchema = z.object({
  id: z.string(),
  user: z.object({ id: z.string(), name: z.string(), email: z.nullable(z.string()) }),
  via: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  current: z.boolean(),
});
const shareSchema = z.object({
  id: z.string(),
  tenant: z.string(),
  doc: z.string(),
  with: z.union([z.object({ user: z.string() }), z.object({ tenant: z.string() })]),
  role: z.string(),
});
const guestLinkSchema = z.object({
  id: z.string(),
  doc: z.string(),
  role: z.string(),
  label: z.nullable(z.string()),
  expiresAt: z.number(),
  revokedAt: z.nullable(z.number()),
});

/** The identity providers signing users into this tenant, with the redirect URI each must have registered. */
export type Provider = z.infer<typeof providerSchema>;
/** An active session of the tenant. */
export type ActiveSession = z.infer<typeof sessionSchema>;
/** A share, outgoing (this tenant's document) or incoming (another tenant's). */
export type TenantShare = z.infer<typeof shareSchema>;
/** A guest link of one of this tenant's documents. */
export type TenantGuestLink = z.infer<typeof guestLinkSchema>;

/** `GET /api/admin/providers`. */
export async function listProviders(): Promise<Provider[]> {
  return (await call('/api/admin/providers', z.object({ providers: z.array(providerSchema) }))).providers;
}

/** `GET /api/admin/sessions`. */
export async function listSessions(): Promise<ActiveSession[]> {
  return (await call('/api/admin/sessions', z.object({ sessions: z.array(sessionSchema) }))).sessions;
}

/** `DELETE /api/admin/sessions/<id>`: the session stops working at once and its sockets close. */
export function revokeSession(id: string) {
  return call(`/api/admin/sessions/${encodeURIComponent(id)}`, z.unknown(), { method: 'DELETE' });
}

/** `GET /api/admin/shares`. */
export function listTenantShares() {
  return call(
    '/api/admin/shares',
    z.object({ outgoing: z.array(shareSchema), incoming: z.array(shareSchema) }),
  );
}

/** `GET /api/admin/guest-links`. */
export async function listTenantGuestLinks(): Promise<TenantGuestLink[]> {
  return (await call('/api/admin/guest-links', z.object({ guestLinks: z.array(guestLinkSchema) })))
    .guestLinks;
}
