import type { Extension, onAuthenticatePayload } from '@hocuspocus/server';
import { parseDocumentName, type Role, roleFor } from '../auth/claims.ts';
import { AuthError } from '../auth/errors.ts';
import type { Authenticate, Principal } from '../identity/authenticator.ts';
import type { WatchedGrant } from './accessWatch.ts';

/** What an authenticated connection carries as its Hocuspocus context. */
export interface ConnectionContext {
  user: { id: string; name: string; tenant: string; role: Role; guest: boolean };
  /** What the connection's access depends on, for AccessWatch to close it when that access ends. */
  grant: WatchedGrant;
}

/** Told when a connection is granted a document through a share or a guest link (for both audit logs). */
export type OnGrantUsed = (principal: Principal, doc: string, role: Role) => Promise<void>;

/**
 * Authenticates every document a socket opens: resolves the credential of the first protocol message (a JWT
 * or a session's socket key), checks the document is granted (by the claims, a share or a guest link), and
 * makes `read`/`comment` connections read-only at the server (Hocuspocus then drops their document updates:
 * they are never applied, stored or broadcast).
 */
export class Authentication implements Extension {
  readonly extensionName = 'authentication';

  constructor(
    private readonly authenticate: Authenticate,
    private readonly onGrantUsed: OnGrantUsed = async () => {},
  ) {}

  async onAuthenticate({
    token,
    documentName,
    connectionConfig,
  }: onAuthenticatePayload): Promise<ConnectionContext> {
    const principal = await this.authenticate(token);
    const parsed = parseDocumentName(documentName);
    if (!parsed) throw new AuthError('invalid-document-name');
    const role = roleFor(principal, documentName);
    if (!role) throw new AuthError('document-not-granted');
    connectionConfig.readOnly = role !== 'edit';
    if (principal.guestLinkId || parsed.tenant !== principal.tenant) {
      await this.onGrantUsed(principal, documentName, role);
    }
    return {
      user: {
        id: principal.sub,
        name: principal.name ?? principal.sub,
        tenant: principal.tenant,
        role,
        guest: principal.guestLinkId !== null,
      },
      grant: {
        role,
        sessionId: principal.sessionId,
        guestLinkId: principal.guestLinkId,
        expiresAt: principal.expiresAt,
        recheck: async () => roleFor(await this.authenticate(token), documentName),
      },
    };
  }
}
