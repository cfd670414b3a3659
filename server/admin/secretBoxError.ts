/** Stable codes for master-key and secret-encryption failures. */
export type SecretBoxErrorCode =
  | 'MASTER_KEY_MISSING'
  | 'MASTER_KEY_INVALID'
  | 'MASTER_KEY_FILE_INSECURE'
  | 'MASTER_KEY_UNKNOWN'
  | 'SECRET_DECRYPT_FAILED';

/**
 * Raised by the master-key loader and `SecretBox`. Messages name key ids and counts only: never key material,
 * never a plaintext secret, so they are safe to log.
 */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
  constructor(
    readonly code: SecretBoxErrorCode,
    message: string,
  ) {
    super(message);
  }
}
