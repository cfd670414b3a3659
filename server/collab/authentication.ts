import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { parseDocumentName, type Role, roleFor } from '../auth/claims.ts';
import { AuthError } from '../auth/errors.ts';
import type { TokenVerifier } from '../auth/tokenVerifier.ts';

/** What an authenticated connection carries as its Hocuspocus context. */
export interface ConnectionContext {
  user: { id: string; name: string; tenant: string; role: Role };
}

/**
 * Authenticates every document a socket opens: verifies the token of the first protocol message, checks the
 * document is granted, and makes `read`/`comment` connections read-only at the server (Hocuspocus then drops
 * their document updates: they are never applied, stored or broadcast).
 */
export class Authentication implements Extension {
  readonly extensionName = 'authentication';

  constructor(private readonly verify: TokenVerifier) {}

  async onAuthenticate({
    token,
    documentName,
    connectionConfig,
  }: onAuthenticatePayload): Promise<ConnectionContext> {
    const claims = await this.verify(token);
    if (!parseDocumentName(documentName)) throw new AuthError('invalid-document-name');
    const role = roleFor(claims, documentName);
    if (!role) throw new AuthError('document-not-granted');
    connectionConfig.readOnly = role !== 'edit';
    return { user: { id: claims.sub, name: claims.name ?? claims.sub, tenant: claims.tenant, role } };
  }
}
