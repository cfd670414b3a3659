/** Stable codes the admin API, the sync engine and the logs switch on without parsing messages. */
export type AdminStoreErrorCode =
  | 'INVALID_INPUT'
  | 'DOCUMENT_NOT_FOUND'
  | 'DOCUMENT_EXISTS'
  | 'DOCUMENT_TENANT_MISMATCH'
  | 'CREDENTIAL_NOT_FOUND'
  | 'CREDENTIAL_TENANT_MISMATCH'
  | 'CREDENTIAL_IN_USE'
  | 'LINK_NOT_FOUND'
  | 'LINK_EXISTS'
  | 'LEASE_LOST'
  | 'VERSION_NOT_FOUND'
  | 'SHARE_NOT_FOUND'
  | 'GUEST_LINK_NOT_FOUND'
  | 'SESSION_NOT_FOUND';

/**
 * Errors raised by the repositories in server/admin/. Messages name ids and tenants, never a secret, so they
 * are safe to log and to return to an admin of the same tenant.
 */
export class AdminStoreError extends Error {
  override readonly name = 'AdminStoreError';
  constructor(
    readonly code: AdminStoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
