import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SqlExecutor } from '../storage/sql.ts';
import { AdminStoreError } from './adminStoreError.ts';
import { assertTenant, type Clock } from './repoSupport.ts';
import { fingerprint, type SecretBox } from './secretBox.ts';
import { SecretBoxError, type SecretBoxErrorCode } from './secretBoxError.ts';

/** A suite's provider id (`connectors/suites.ts` lists them; the admin routes only accept those). */
export type Provider = string;

/** The shape of a provider id: lower-case, short, safe in URLs and logs. */
const PROVIDER_ID = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Public, non-secret facts about a credential, shown to admins and used by connectors: e.g. a Google
 * service account's `client_email` and `subject`, a Microsoft app's `tenantId` and `clientId`, endpoints.
 * Never put a secret here: it is stored and returned in clear.
 */
export const credentialMetadataSchema = z.record(z.string(), z.json());
export type CredentialMetadata = z.infer<typeof credentialMetadataSchema>;

/** A credential as admins see it: everything but the secret, which is write-only. */
export interface CredentialInfo {
  id: string;
  tenant: string;
  provider: Provider;
  name: string;
  fingerprint: string;
  keyId: string;
  metadata: CredentialMetadata;
  createdAt: number;
  createdBy: string | null;
  verifiedAt: number | null;
  lastError: string | null;
}

/** What creating a credential takes; `secret` is encrypted before it reaches the database. */
export interface NewCredential {
  provider: Provider;
  name: string;
  secret: string;
  metadata?: CredentialMetadata;
  createdBy?: string | null;
}

/** Outcome of `resealAll`. */
export interface ResealReport {
  resealed: number;
  failed: { tenant: string; id: string; code: SecretBoxErrorCode }[];
}

interface InfoRow {
  id: string;
  tenant: string;
  provider: string;
  name: string;
  fingerprint: string;
  key_id: string;
  metadata: string;
  created_at: number;
  created_by: string | null;
  verified_at: number | null;
  last_error: string | null;
}
interface SealedRow {
  key_id: string;
  iv: Uint8Array;
  ciphertext: Uint8Array;
  auth_tag: Uint8Array;
}

const INFO =
  'id, tenant, provider, name, fingerprint, key_id, metadata, created_at, created_by, verified_at, last_error';

/**
 * Connector credentials per tenant, secrets encrypted with `SecretBox` (AES-256-GCM bound to tenant and
 * credential id). Listing and `get` never read the ciphertext columns; the plaintext only comes out of
 * `openSecret`, which checks the tenant. Every method takes the tenant and never touches another tenant's rows.
 */
export class CredentialsRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly box: SecretBox,
    private readonly now: Clock = Date.now,
  ) {}

  /** Encrypts and stores a new credential; returns its id and the fingerprint to show. */
  async create(tenant: string, input: NewCredential): Promise<{ id: string; fingerprint: string }> {
    assertTenant(tenant);
    const provider = checkProvider(input.provider);
    const name = checkName(input.name);
    if (typeof input.secret !== 'string' || input.secret === '') {
      throw new AdminStoreError('INVALID_INPUT', 'secret must be a non-empty string');
    }
    const metadata = parseMetadata(input.metadata ?? {});
    const id = randomUUID();
    const sealed = this.box.seal(input.secret, { tenant, credentialId: id });
    const print = fingerprint(input.secret);
    await this.db.execute(
      `INSERT INTO credentials (id, tenant, provider, name, fingerprint, ciphertext, iv, auth_tag, key_id,
         metadata, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        id,
        tenant,
        provider,
        name,
        print,
        sealed.ciphertext,
        sealed.iv,
        sealed.authTag,
        sealed.keyId,
        JSON.stringify(metadata),
        this.now(),
        input.createdBy ?? null,
      ],
    );
    return { id, fingerprint: print };
  }

  /** The tenant's credentials, oldest first, without secrets. */
  async list(tenant: string): Promise<CredentialInfo[]> {
    assertTenant(tenant);
    const rows = await this.db.query<InfoRow>(
      `SELECT ${INFO} FROM credentials WHERE tenant = $1 ORDER BY created_at, id`,
      [tenant],
    );
    return rows.map(toInfo);
  }

  /**
   * Every tenant's credentials of one provider, without secrets: the one cross-tenant read, for sign-ins that
   * arrive from a suite's directory before any tenant is known (the Word add-in finds its department by the
   * Entra tenant of its user's token). Callers must still act within the tenant of the credential they pick.
   */
  async listAcrossTenants(provider: Provider): Promise<CredentialInfo[]> {
    const rows = await this.db.query<InfoRow>(
      `SELECT ${INFO} FROM credentials WHERE provider = $1 ORDER BY created_at, id`,
      [checkProvider(provider)],
    );
    return rows.map(toInfo);
  }

  /** One credential without its secret, or null when this tenant has none with that id. */
  async get(tenant: string, id: string): Promise<CredentialInfo | null> {
    assertTenant(tenant);
    const rows = await this.db.query<InfoRow>(
      `SELECT ${INFO} FROM credentials WHERE tenant = $1 AND id = $2`,
      [tenant, id],
    );
    return rows[0] ? toInfo(rows[0]) : null;
  }

  /**
   * The decrypted secret, for a connector about to call its suite. `CREDENTIAL_NOT_FOUND` when this tenant
   * has no such credential (another tenant's id is indistinguishable from a missing one here). Never log it.
   */
  async openSecret(tenant: string, id: string): Promise<string> {
    assertTenant(tenant);
    const rows = await this.db.query<SealedRow>(
      'SELECT key_id, iv, ciphertext, auth_tag FROM credentials WHERE tenant = $1 AND id = $2',
      [tenant, id],
    );
    const row = rows[0];
    if (!row) throw notFound(tenant, id);
    return this.box.open(
      { keyId: row.key_id, iv: row.iv, ciphertext: row.ciphertext, authTag: row.auth_tag },
      { tenant, credentialId: id },
    );
  }

  /** Replaces the secret (write-only rotation of a client secret or key); returns the new fingerprint. */
  async replaceSecret(tenant: string, id: string, secret: string): Promise<{ fingerprint: string }> {
    assertTenant(tenant);
    if (typeof secret !== 'string' || secret === '') {
      throw new AdminStoreError('INVALID_INPUT', 'secret must be a non-empty string');
    }
    const sealed = this.box.seal(secret, { tenant, credentialId: id });
    const print = fingerprint(secret);
    const changed = await this.db.execute(
      `UPDATE credentials SET ciphertext = $3, iv = $4, auth_tag = $5, key_id = $6, fingerprint = $7,
         verified_at = NULL, last_error = NULL
       WHERE tenant = $1 AND id = $2`,
      [tenant, id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, print],
    );
    if (changed === 0) throw notFound(tenant, id);
    return { fingerprint: print };
  }

  /** Records the outcome of a check against the suite: verified now (error null) or the error seen. */
  async recordCheck(tenant: string, id: string, error: string | null): Promise<void> {
    assertTenant(tenant);
    const changed = await this.db.execute(
      error === null
        ? 'UPDATE credentials SET verified_at = $3, last_error = NULL WHERE tenant = $1 AND id = $2'
        : 'UPDATE credentials SET last_error = $3 WHERE tenant = $1 AND id = $2',
      [tenant, id, error === null ? this.now() : error.slice(0, 2000)],
    );
    if (changed === 0) throw notFound(tenant, id);
  }

  /**
   * Deletes a credential. While links use it, refuses with `CREDENTIAL_IN_USE` unless `force`, which deletes
   * those links too (in the same transaction): a link without a credential could never sync again.
   */
  async delete(
    tenant: string,
    id: string,
    options: { force?: boolean } = {},
  ): Promise<{ deletedLinks: number }> {
    assertTenant(tenant);
    return this.db.transaction(async (tx) => {
      const used = await tx.query<{ n: number }>(
        'SELECT count(*) AS n FROM links WHERE tenant = $1 AND credential_id = $2',
        [tenant, id],
      );
      const links = Number(used[0]?.n ?? 0);
      if (links > 0 && !options.force) {
        throw new AdminStoreError('CREDENTIAL_IN_USE', `credential ${id} is used by ${links} link(s)`);
      }
      const deletedLinks =
        links > 0
          ? await tx.execute('DELETE FROM links WHERE tenant = $1 AND credential_id = $2', [tenant, id])
          : 0;
      const deleted = await tx.execute('DELETE FROM credentials WHERE tenant = $1 AND id = $2', [tenant, id]);
      if (deleted === 0) throw notFound(tenant, id);
      return { deletedLinks };
    });
  }

  /**
   * Re-encrypts, with the primary key, every secret (of every tenant) sealed with an older key: the last step
   * of a key rotation, after which the old key can be removed from the configuration. Returns how many rows
   * were re-sealed and which rows could not be opened (they keep their old key and need an admin: usually a
   * secret to enter again). System-wide on purpose: rotation is an operator task, not a tenant's.
   */
  async resealAll(): Promise<ResealReport> {
    const stale = await this.db.query<SealedRow & { id: string; tenant: string }>(
      'SELECT id, tenant, key_id, iv, ciphertext, auth_tag FROM credentials WHERE key_id <> $1',
      [this.box.primaryKeyId],
    );
    const report: ResealReport = { resealed: 0, failed: [] };
    for (const row of stale) {
      const context = { tenant: row.tenant, credentialId: row.id };
      let plain: string;
      try {
        plain = this.box.open(
          { keyId: row.key_id, iv: row.iv, ciphertext: row.ciphertext, authTag: row.auth_tag },
          context,
        );
      } catch (error) {
        // One unreadable row (key gone, tampered) must not stop the rotation of all the others.
        if (!(error instanceof SecretBoxError)) throw error;
        report.failed.push({ tenant: row.tenant, id: row.id, code: error.code });
        continue;
      }
      const sealed = this.box.seal(plain, context);
      // Compare-and-set on the old IV: a secret replaced meanwhile is not overwritten.
      report.resealed += await this.db.execute(
        `UPDATE credentials SET ciphertext = $3, iv = $4, auth_tag = $5, key_id = $6
         WHERE tenant = $1 AND id = $2 AND iv = $7`,
        [row.tenant, row.id, sealed.ciphertext, sealed.iv, sealed.authTag, sealed.keyId, row.iv],
      );
    }
    return report;
  }
}

function notFound(tenant: string, id: string): AdminStoreError {
  return new AdminStoreError('CREDENTIAL_NOT_FOUND', `no credential ${id} in tenant ${tenant}`);
}

function checkProvider(provider: string): Provider {
  if (!PROVIDER_ID.test(provider))
    throw new AdminStoreError('INVALID_INPUT', 'provider is not a provider id');
  return provider;
}

function checkName(name: string): string {
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200) {
    throw new AdminStoreError('INVALID_INPUT', 'credential name must be 1-200 characters');
  }
  return name;
}

function parseMetadata(metadata: unknown): CredentialMetadata {
  const parsed = credentialMetadataSchema.safeParse(metadata);
  if (!parsed.success)
    throw new AdminStoreError('INVALID_INPUT', 'credential metadata must be a JSON object');
  return parsed.data;
}

function toInfo(row: InfoRow): CredentialInfo {
  return {
    id: row.id,
    tenant: row.tenant,
    provider: checkProvider(row.provider),
    name: row.name,
    fingerprint: row.fingerprint,
    keyId: row.key_id,
    metadata: parseMetadata(JSON.parse(row.metadata)),
    createdAt: row.created_at,
    createdBy: row.created_by,
    verifiedAt: row.verified_at,
    lastError: row.last_error,
  };
}
