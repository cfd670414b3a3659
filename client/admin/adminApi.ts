import * as z from 'zod/mini';
import { call } from '../shared/api.ts';

const credentialSchema = z.object({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  fingerprint: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
  verifiedAt: z.nullable(z.number()),
  lastError: z.nullable(z.string()),
});
/** A credential as the admin API describes it: metadata and fingerprint, never the secret. */
export type Credential = z.infer<typeof credentialSchema>;

/** A Google service account JSON key file: only what the server needs is checked here. */
export const serviceAccountKeySchema = z.looseObject({
  type: z.literal('service_account'),
  client_email: z.string().check(z.email()),
  private_key: z.string().check(z.includes('PRIVATE KEY')),
});

/** Google API addresses for private deployments or the emulator; empty means Google's public APIs. */
export interface GoogleEndpoints {
  docs?: string;
  drive?: string;
  token?: string;
}

/** The three secrets of an OAuth user credential: the OAuth client, and the refresh token a user granted. */
export interface OAuthUserSecret {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/**
 * What registering a Google credential sends: a service account key (with an optional subject for
 * domain-wide delegation) or an OAuth user credential, never both; `endpoints` only for private or
 * emulated APIs.
 */
export type NewGoogleCredential =
  | {
      name: string;
      serviceAccountKey: z.infer<typeof serviceAccountKeySchema>;
      subject?: string;
      endpoints?: GoogleEndpoints;
    }
  | { name: string; oauth: OAuthUserSecret; endpoints?: GoogleEndpoints };

const suiteSchema = z.object({
  provider: z.string(),
  label: z.string(),
  url: z.object({ noun: z.string(), example: z.string(), pattern: z.string(), invalidError: z.string() }),
});
/** A suite the server speaks, as `GET /api/suites` describes it (from `connectors/<suite>/suite.ts`). */
export type SuiteInfo = z.infer<typeof suiteSchema>;

export async function listSuites(): Promise<SuiteInfo[]> {
  return (await call('/api/suites', z.object({ suites: z.array(suiteSchema) }))).suites;
}

export async function listCredentials(): Promise<Credential[]> {
  return (await call('/api/credentials', z.object({ credentials: z.array(credentialSchema) }))).credentials;
}

/** Registers a credential; the answer holds its id and fingerprint only. */
export function createCredential(
  input:
    | ({ provider: 'google' } & NewGoogleCredential)
    | ({ provider: 'microsoft' } & NewMicrosoftCredential),
): Promise<{ id: string; fingerprint: string }> {
  return call('/api/credentials', z.object({ id: z.string(), fingerprint: z.string() }), {
    method: 'POST',
    body: JSON.stringify(input),
  });
}

/** A new Microsoft credential as the admin API takes it: an Entra app with a client secret or a certificate. */
export type NewMicrosoftCredential = {
  name: string;
  tenantId: string;
  clientId: string;
  /** The Word add-in's app registration, when the department deploys the add-in. */
  addinClientId?: string;
  endpoints?: { graph?: string; login?: string };
} & ({ clientSecret: string } | { certificate: string });

/** Asks the provider to accept the credential; `error` is its reason when refused. */
export function verifyCredential(id: string): Promise<{ ok: boolean; error?: string }> {
  return call(
    `/api/credentials/${encodeURIComponent(id)}/verify`,
    z.object({ ok: z.boolean(), error: z.optional(z.string()) }),
    { method: 'POST' },
  );
}

/** Deletes a credential; `force` also deletes the links that use it (refused with 409 otherwise). */
export function deleteCredential(id: string, force = false): Promise<{ deletedLinks: number }> {
  return call(
    `/api/credentials/${encodeURIComponent(id)}${force ? '?force=true' : ''}`,
    z.object({ deletedLinks: z.number() }),
    { method: 'DELETE' },
  );
}

const linkSchema = z.object({
  id: z.string(),
  doc: z.string(),
  credentialId: z.string(),
  provider: z.string(),
  remoteId: z.string(),
  remoteUrl: z.nullable(z.string()),
  status: z.string(),
  statusDetail: z.nullable(z.string()),
  lastError: z.nullable(z.string()),
  lastSyncedAt: z.nullable(z.number()),
});
/** A link as administrators see it. */
export type Link = z.infer<typeof linkSchema>;

export async function listLinks(): Promise<Link[]> {
  return (await call('/api/links', z.object({ links: z.array(linkSchema) }))).links;
}

/** Links a document to a remote file; `initial` says which side wins when both hold text (else 409). */
export function createLink(input: {
  doc: string;
  credential: string;
  url: string;
  initial?: 'remote' | 'local' | 'merge';
}): Promise<{ id: string; status: string }> {
  return call('/api/links', z.object({ id: z.string(), status: z.string() }), {
    method: 'POST',
    body: JSON.stringify(input),
  });
}

export async function deleteLink(id: string): Promise<void> {
  await call(`/api/links/${encodeURIComponent(id)}`, z.object({ ok: z.boolean() }), { method: 'DELETE' });
}

export async function resyncLink(id: string): Promise<void> {
  await call(`/api/links/${encodeURIComponent(id)}/resync`, z.object({ ok: z.boolean() }), {
    method: 'POST',
  });
}

const auditEntrySchema = z.object({
  id: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.nullable(z.string()),
  details: z.record(z.string(), z.unknown()),
  at: z.number(),
});
/** One audit log entry. */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** A page of the audit log, newest first; `before` is the previous page's `next`. */
export function listAudit(
  before: number | null,
  limit: number,
): Promise<{ entries: AuditEntry[]; next: number | null }> {
  const query = new URLSearchParams({ limit: String(limit) });
  if (before) query.set('before', String(before));
  return call(
    `/api/audit?${query}`,
    z.object({ entries: z.array(auditEntrySchema), next: z.nullable(z.number()) }),
  );
}
