/**
 * The admin API's answers as the CLI reads them, checked with zod at the edge. Only the fields the CLI shows
 * are required; everything else passes through untouched, so `--json` prints the server's answer whole.
 */
import { z } from 'zod';

/** `POST /api/credentials` answer. */
export const createdCredential = z.looseObject({ id: z.string(), fingerprint: z.string() });

/** One entry of `GET /api/credentials` (metadata only: the API never returns a secret). */
export const credentialInfo = z.looseObject({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  fingerprint: z.string(),
  metadata: z.record(z.string(), z.unknown()).default({}),
  createdAt: z.number(),
  verifiedAt: z.number().nullable().default(null),
  lastError: z.string().nullable().default(null),
});
export type CredentialInfo = z.infer<typeof credentialInfo>;

/** `GET /api/credentials` answer. */
export const credentialList = z.looseObject({ credentials: z.array(credentialInfo) });

/** `POST /api/links` answer. */
export const createdLink = z.looseObject({ id: z.string(), status: z.string() });

/** One entry of `GET /api/links`. */
export const linkInfo = z.looseObject({
  id: z.string(),
  doc: z.string(),
  credentialId: z.string(),
  provider: z.string(),
  remoteId: z.string(),
  remoteUrl: z.string().nullable().default(null),
  status: z.string(),
  lastError: z.string().nullable().default(null),
  lastSyncedAt: z.number().nullable().default(null),
});
export type LinkInfo = z.infer<typeof linkInfo>;

/** `GET /api/links` answer. */
export const linkList = z.looseObject({ links: z.array(linkInfo) });

/** `{ ok: true }` answers (delete, resync). */
export const okAnswer = z.looseObject({ ok: z.literal(true) });
