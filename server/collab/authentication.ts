import type { Extension, onAuthenticatePayload, onTokenSyncPayload } from '@hocuspocus/server';
import { parseDocumentName, type Role, roleFor } from '../auth/claims.ts';
import { AuthError } from '../auth/errors.ts';
import type { Authenticate, Principal } from '../identity/authenticator.ts';
import type { Logger } from '../logger.ts';
import type { ConnectionIdentity, OpenConnections } from './openConnections.ts';

/** What an authenticated connection carries as its Hocuspocus context. */
export interface ConnectionContext {
  /**
   * `liveClientOf`: the suite whose own live client this connection is (`microsoft` for the Word add-in's
   * session): while one is connected, that suite's links of the document hold their uploads (issue 13).
   */
  user: { id: string; name: string; tenant: string; role: Role; guest: boolean; liveClientOf?: string };
  /** Who holds the connection, until when, and what its access depends on, for `OpenConnections`. */
  identity: ConnectionIdentity;
}

/** Told when a connection is granted a document through a share or a guest link (for both audit logs). */
export type OnGrantUsed = (principal: Principal, doc: string, role: Role) => Promise<void>;

/**
 * Authenticates every document a socket opens: resolves the credential of the first protocol message (a JWT
 * or a session's socket key), checks the document is granted (by the claims, a share or a guest link), and
 * makes `read`/`comment` connections read-only at the server (Hocuspocus then drops their document updates:
 * they are never applied, stored or broadcast). A credential sent later on an open connection (Hocuspocus
 * token sync) is checked the same way and extends the connection's life; one of another user, or that no
 * longer grants the document, closes the connection.
 */
export class Authentication implements Extension {
  readonly extensionName = 'authentication';

  constructor(
    private readonly authenticate: Authenticate,
    private readonly connections: OpenConnections,
    private readonly logger: Logger,
    private readonly caps: { documentsPerConnection: number; connectionsPerUser: number },
    private readonly onGrantUsed: OnGrantUsed = async () => {},
  ) {}

  async onAuthenticate({
    token,
    documentName,
    connectionConfig,
    socketId,
  }: onAuthenticatePayload): Promise<ConnectionContext> {
    const principal = await this.authenticate(token);
    const parsed = parseDocumentName(documentName);
    if (!parsed) throw new AuthError('invalid-document-name');
    const role = roleFor(principal, documentName);
    if (!role) throw new AuthError('document-not-granted');
    // Caps per instance, so one client cannot hold every document or socket the server can serve.
    const usage = this.connections.usage(socketId, principal.tenant, principal.sub);
    if (usage.documents >= this.caps.documentsPerConnection) throw new AuthError('too-many-documents');
    if (!usage.holds && usage.sockets >= this.caps.connectionsPerUser)
      throw new AuthError('too-many-connections');
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
        ...(principal.via === 'word-addin' ? { liveClientOf: 'microsoft' } : {}),
      },
      identity: this.identityOf(principal, documentName, role, token),
    };
  }

  /** A fresh credential on an open connection. Never throws: a refusal closes the connection with its reason. */
  async onTokenSync({ token, documentName, connection }: onTokenSyncPayload): Promise<void> {
    const current = this.connections.identityOf(connection);
    if (!current) return;
    let principal: Principal;
    try {
      principal = await this.authenticate(token);
    } catch (error) {
      const reason = error instanceof AuthError ? error.reason : 'token-malformed';
      this.logger.info({ document: documentName, reason }, 'refused a fresh token');
      // An unchanged token that is merely close to expiry still holds until then.
      if (reason !== 'token-expired') this.connections.closeOne(connection, reason);
      return;
    }
    if (principal.sub !== current.sub || principal.tenant !== current.tenant) {
      this.connections.closeOne(connection, 'token-user-changed');
      return;
    }
    const role = roleFor(principal, documentName);
    if (!role) {
      this.connections.closeOne(connection, 'document-not-granted');
      return;
    }
    connection.readOnly = role !== 'edit';
    this.connections.renew(connection, this.identityOf(principal, documentName, role, token));
  }

  private identityOf(principal: Principal, doc: string, role: Role, token: string): ConnectionIdentity {
    return {
      tenant: principal.tenant,
      sub: principal.sub,
      doc,
      issuedAt: principal.iat === null ? null : principal.iat * 1000,
      expiresAt: principal.exp * 1000,
      sessionId: principal.sessionId,
      guestLinkId: principal.guestLinkId,
      role,
      recheck: async () => roleFor(await this.authenticate(token), doc),
    };
  }
}
