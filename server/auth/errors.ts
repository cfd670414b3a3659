/**
 * Why a connection or request was refused. `reason` is the stable, client-visible string sent as the
 * WebSocket permission-denied/close reason and as the API error code; it never includes token material.
 */
export type AuthFailureReason =
  | 'token-missing'
  | 'token-malformed'
  | 'algorithm-not-allowed'
  | 'bad-signature'
  | 'token-expired'
  | 'token-revoked'
  | 'token-not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'invalid-claims'
  | 'invalid-document-name'
  | 'document-not-granted'
  | 'origin-not-allowed'
  | 'too-many-documents'
  | 'too-many-connections';

/** A refused authentication. Hocuspocus sends `reason` to the client in its permission-denied message. */
export class AuthError extends Error {
  readonly code = 'AUTH_REFUSED';
  constructor(readonly reason: AuthFailureReason) {
    super(`authentication refused: ${reason}`);
  }
}
