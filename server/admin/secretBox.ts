import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { SecretBoxError } from './secretBoxError.ts';

/** AES-256-GCM: 32-byte keys, 12-byte random IVs, 16-byte tags. */
const ALGORITHM = 'aes-256-gcm';
export const MASTER_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Key ids are stored beside each ciphertext and written in environment variables. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/** One master key and the id stored with everything it encrypts. */
export interface MasterKey {
  readonly id: string;
  readonly key: Uint8Array;
}

/** Ciphertext and what is needed to open it, stored together (credentials row). */
export interface SealedSecret {
  readonly keyId: string;
  readonly iv: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly authTag: Uint8Array;
}

/**
 * Where a sealed secret belongs. It is authenticated (GCM associated data) but not stored in the ciphertext:
 * a row copied to another tenant or credential id fails to open instead of lending its secret there.
 */
export interface SecretContext {
  readonly tenant: string;
  readonly credentialId: string;
}

/**
 * Encrypts connector secrets at rest (DESIGN section 5). Holds one or more master keys: the first (primary)
 * encrypts new secrets, every key decrypts what it sealed, so a rotation is: configure a new key first and keep
 * the old ones after it (see masterKey.ts), then re-seal rows at leisure (`CredentialsRepo.resealAll`).
 * Key material lives in a private field and is hidden from `util.inspect` and `JSON.stringify`, so logging a
 * SecretBox (or an object holding one) never prints a key.
 */
export class SecretBox {
  readonly #keys = new Map<string, Buffer>();
  /** Id of the key new secrets are sealed with. */
  readonly primaryKeyId: string;

  /** `keys[0]` is the primary. Rejects an empty list, a duplicate or malformed id, or a key not 32 bytes long. */
  constructor(keys: readonly MasterKey[]) {
    const primary = keys[0];
    if (!primary) throw new SecretBoxError('MASTER_KEY_MISSING', 'no master key configured');
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) {
        throw new SecretBoxError('MASTER_KEY_INVALID', `master key id must match ${KEY_ID_PATTERN}`);
      }
      if (key.byteLength !== MASTER_KEY_BYTES) {
        throw new SecretBoxError(
          'MASTER_KEY_INVALID',
          `master key '${id}' must be ${MASTER_KEY_BYTES} bytes, got ${key.byteLength}`,
        );
      }
      if (this.#keys.has(id))
        throw new SecretBoxError('MASTER_KEY_INVALID', `master key id '${id}' is repeated`);
      this.#keys.set(id, Buffer.from(key));
    }
    this.primaryKeyId = primary.id;
  }

  /** Ids of every configured key, primary first. */
  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  /** Encrypts `plaintext` with the primary key and a fresh random IV, bound to `context`. */
  seal(plaintext: string, context: SecretContext): SealedSecret {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.#keys.get(this.primaryKeyId)!, iv, {
      authTagLength: TAG_BYTES,
    });
    cipher.setAAD(associatedData(context));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.primaryKeyId, iv, ciphertext, authTag: cipher.getAuthTag() };
  }

  /**
   * Decrypts a sealed secret. Throws `MASTER_KEY_UNKNOWN` when its key is no longer configured and
   * `SECRET_DECRYPT_FAILED` when the bytes were altered or belong to another tenant or credential id.
   */
  open(sealed: SealedSecret, context: SecretContext): string {
    const key = this.#keys.get(sealed.keyId);
    if (!key) {
      throw new SecretBoxError(
        'MASTER_KEY_UNKNOWN',
        `secret was sealed with master key '${sealed.keyId}', not configured`,
      );
    }
    if (sealed.iv.byteLength !== IV_BYTES || sealed.authTag.byteLength !== TAG_BYTES) {
      throw new SecretBoxError('SECRET_DECRYPT_FAILED', 'sealed secret has a malformed IV or tag');
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, sealed.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(context));
      decipher.setAuthTag(sealed.authTag);
      return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(
        'SECRET_DECRYPT_FAILED',
        'secret failed authentication (altered, or sealed for another tenant or credential)',
      );
    }
  }

  toJSON(): { primaryKeyId: string; keyIds: string[] } {
    return { primaryKeyId: this.primaryKeyId, keyIds: this.keyIds };
  }

  [inspect.custom](): string {
    return `SecretBox { primaryKeyId: '${this.primaryKeyId}', keys: ${this.#keys.size} }`;
  }
}

/** Unambiguous encoding of the context (JSON array: no separator a tenant name could forge). */
function associatedData(context: SecretContext): Buffer {
  return Buffer.from(
    JSON.stringify(['docbridge.credential.v1', context.tenant, context.credentialId]),
    'utf8',
  );
}

/**
 * A short, stable label of a secret that is safe to show: `sha256:` and the first 16 hex digits (64 bits) of a
 * domain-separated SHA-256. Enough to tell two keys apart or recognise one; far too short to recover it, and
 * the connector secrets it labels (service-account private keys, generated client secrets) are high-entropy.
 */
export function fingerprint(secret: string): string {
  const digest = createHash('sha256')
    .update('docbridge.fingerprint.v1\0')
    .update(secret, 'utf8')
    .digest('hex');
  return `sha256:${digest.slice(0, 16)}`;
}
