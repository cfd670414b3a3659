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
  /** The suite's words for the list; null for a provider this server no longer speaks. */
  summary: z.nullable(z.object({ kind: z.string(), account: z.string(), actingAs: z.optional(z.string()) })),
  /** What to do about `lastError`, when the suite knows. */
  advice: z.nullable(z.string()),
});
/** A credential as the admin API describes it: metadata and fingerprint, never the secret. */
export type Credential = z.infer<typeof credentialSchema>;

const credentialFieldSchema = z.object({
  name: z.string(),
  label: z.string(),
  kind: z.enum(['text', 'email', 'secret', 'json-file', 'pem-file', 'url']),
  optional: z.optional(z.boolean()),
  hint: z.optional(z.string()),
  option: z.optional(z.string()),
  advanced: z.optional(z.boolean()),
});
/** One input of a suite's credential (`connectors/sync/suite.ts`, `CredentialField`). */
export type CredentialField = z.infer<typeof credentialFieldSchema>;

const suiteSchema = z.object({
  provider: z.string(),
  label: z.string(),
  credential: z.object({
    owner: z.string(),
    fields: z.array(credentialFieldSchema),
    choice: z.optional(
      z.object({
        legend: z.string(),
        options: z.array(z.object({ value: z.string(), label: z.string(), hint: z.optional(z.string()) })),
      }),
    ),
    advancedHint: z.optional(z.string()),
  }),
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

/**
 * Registers a credential: `body` holds the suite's own properties (as its `credential.fields` name them), checked
 * by the server against the suite's schema. The answer holds its id and fingerprint only.
 */
export function createCredential(input: {
  provider: string;
  name: string;
  body: Record<string, unknown>;
}): Promise<{ id: string; fingerprint: string }> {
  return call('/api/credentials', z.object({ id: z.string(), fingerprint: z.string() }), {
    method: 'POST',
    body: JSON.stringify({ ...input.body, provider: input.provider, name: input.name }),
  });
}

/** Asks the provider to accept the credential; `error` is its reason when refused. */
export function verifyCredential(
  id: string,
): Promise<{ ok: boolean; error?: string; advice?: string | null }> {
  return call(
    `/api/credentials/${encodeURIComponent(id)}/verify`,
    z.object({ ok: z.boolean(), error: z.optional(z.string()), advice: z.optional(z.nullable(z.string())) }),
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
