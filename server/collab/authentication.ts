import type { Extension, onAuthenticatePayload, onTokenSyncPayload } from '@hocuspocus/server';
import { parseDocumentName, type Role, roleFor, type VerifiedClaims } from '../auth/claims.ts';
import { AuthError } from '../auth/errors.ts';
import type { TokenVerifier } from '../auth/tokenVerifier.ts';
import type { Logger } from '../logger.ts';
import type { ConnectionIdentity, OpenConnections } from './openConnections.ts';

/** What an authenticated connection carries as its Hocuspocus context. */
export interface ConnectionContext {
  user: { id: string; name: string; tenant: string; role: Role };
  /** Who holds the connection and until when, for `OpenConnections`. */
  identity: ConnectionIdentity;
}

/**
 * Authenticates every document a socket opens: verifies the token of the first protocol message, checks the
 * document is granted, and makes `read`/`comment` connections read-only at the server (Hocuspocus then drops
 * their document updates: they are never applied, stored or broadcast). A token sent later on an open
 * connection (Hocuspocus token sync) is verified the same way and extends the connection's life; one of
 * another user, or that no longer grants the document, closes the connection.
 */
export class Authentication implements Extension {
  readonly extensionName = 'authentication';

  constructor(
    private readonly verify: TokenVerifier,
    private readonly connections: OpenConnections,
    private readonly logger: Logger,
    private readonly caps: { documentsPerConnection: number; connectionsPerUser: number },
  ) {}

  async onAuthenticate({
    token,
    documentName,
    connectionConfig,
    socketId,
  }: onAuthenticatePayload): Promise<ConnectionContext> {
    const claims = await this.verify(token);
    if (!parseDocumentName(documentName)) throw new AuthError('invalid-document-name');
    const role = roleFor(claims, documentName);
    if (!role) throw new AuthError('document-not-granted');
    // Caps per instance, so one client cannot hold every document or socket the server can serve.
    const usage = this.connections.usage(socketId, claims.tenant, claims.sub);
    if (usage.documents >= this.caps.documentsPerConnection) throw new AuthError('too-many-documents');
    if (!usage.holds && usage.sockets >= this.caps.connectionsPerUser)
      throw new AuthError('too-many-connections');
    connectionConfig.readOnly = role !== 'edit';
    return {
      user: { id: claims.sub, name: claims.name ?? claims.sub, tenant: claims.tenant, role },
      identity: identityOf(claims, documentName),
    };
  }

  /** A fresh token on an open connection. Never throws: a refusal closes the connection with its reason. */
  async onTokenSync({ token, documentName, connection }: onTokenSyncPayload): Promise<void> {
    const current = this.connections.identityOf(connection);
    if (!current) return;
    let claims: VerifiedClaims;
    try {
      claims = await this.verify(token);
    } catch (error) {
      const reason = error instanceof AuthError ? error.reason : 'token-malformed';
      this.logger.info({ document: documentName, reason }, 'refused a fresh token');
      // An unchanged token that is merely close to expiry still holds until then.
      if (reason !== 'token-expired') this.connections.closeOne(connection, reason);
      return;
    }
    if (claims.sub !== current.sub || claims.tenant !== current.tenant) {
      this.connections.closeOne(connection, 'token-user-changed');
      return;
    }
    const role = roleFor(claims, documentName);
    if (!role) {
      this.connections.closeOne(connection, 'document-not-granted');
      return;
    }
    connection.readOnly = role !== 'edit';
    this.connections.renew(connection, identityOf(claims, documentName));
  }
}

function identityOf(claims: VerifiedClaims, doc: string): ConnectionIdentity {
  return {
    tenant: claims.tenant,
    sub: claims.sub,
    doc,
    issuedAt: claims.iat === null ? null : claims.iat * 1000,
    expiresAt: claims.exp * 1000,
  };
}
