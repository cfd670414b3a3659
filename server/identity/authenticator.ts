import { type Role, roleRank, type ServerGrants, type VerifiedClaims } from '../auth/claims.ts';
import { AuthError } from '../auth/errors.ts';
import type { TokenVerifier } from '../auth/tokenVerifier.ts';
import type { GuestLinksRepo } from './guestLinksRepo.ts';
import type { SessionRecord, SessionsRepo, SessionVia } from './sessionsRepo.ts';
import type { SharesRepo } from './sharesRepo.ts';

/**
 * Who is calling, as every route and the socket authentication see it: the claims (from a token or from the
 * stored session) plus what the server adds: cross-tenant shares, and for sessions their id, CSRF token
 * and expiry, and the guest link a guest came through.
 */
export interface Principal extends VerifiedClaims, ServerGrants {
  sessionId: string | null;
  /** The session's anti-CSRF token; null for bearer tokens (which browsers never send by themselves). */
  csrf: string | null;
  guestLinkId: string | null;
  /** How the session was opened (a Word add-in session makes its document "live in Word"); null for tokens. */
  via: SessionVia | null;
}

/** Resolves a credential to a Principal, or throws AuthError naming why not. */
export type Authenticate = (credential: string | undefined | null) => Promise<Principal>;

export interface AuthenticatorDeps {
  verify: TokenVerifier;
  sessions: Pick<SessionsRepo, 'byCookie' | 'bySocketKey'>;
  shares: Pick<SharesRepo, 'listReaching'>;
  guestLinks: Pick<GuestLinksRepo, 'usable'>;
  /** When an admin last revoked this user (`POST /api/revocations`), epoch ms: older sessions end too. */
  revokedAt: (tenant: string, sub: string) => Promise<number | null>;
  /** Ids of the configured OpenID Providers: a session from a provider no longer configured has ended. */
  providers: readonly string[];
}

/**
 * The one place credentials become principals. `request` takes a bearer JWT, a session cookie secret
 * (`dbs.`) or a session's socket key as a bearer token (`dbk.`), `socket` a bearer JWT or a socket key;
 * every call reads the session and the shares afresh, so a revoked session, a withdrawn share or a revoked
 * guest link stops working at once.
 */
export function createAuthenticator(deps: AuthenticatorDeps) {
  async function withShares(claims: VerifiedClaims, base: Omit<Principal, keyof VerifiedClaims | 'shared'>) {
    const shared: Record<string, Role> = {};
    for (const share of await deps.shares.listReaching(claims.tenant, claims.email ?? null)) {
      const held = shared[share.doc];
      if (!held || roleRank[share.role] > roleRank[held]) shared[share.doc] = share.role;
    }
    return { ...claims, ...base, shared } satisfies Principal;
  }

  async function fromSession(session: SessionRecord | null): Promise<Principal> {
    if (!session) throw new AuthError('session-ended');
    const base = { sessionId: session.id, csrf: session.csrf, guestLinkId: null, via: session.via };
    const lifetime = { iat: Math.floor(session.createdAt / 1000), exp: Math.floor(session.expiresAt / 1000) };
    if (session.via === 'guest') {
      const link = session.guestLinkId ? await deps.guestLinks.usable(session.guestLinkId) : null;
      if (!link) throw new AuthError('session-ended');
      return {
        sub: `guest:${session.id}`,
        name: `${session.userName} (guest)`,
        tenant: link.tenant,
        docs: { [link.doc]: link.role },
        ...base,
        guestLinkId: link.id,
        iat: lifetime.iat,
        exp: Math.floor(Math.min(session.expiresAt, link.expiresAt) / 1000),
      };
    }
    if (session.via.startsWith('oidc:') && !deps.providers.includes(session.via.slice(5))) {
      throw new AuthError('session-ended');
    }
    // A user an admin revoked after this session began is signed out, as their tokens are refused.
    const revoked = await deps.revokedAt(session.tenant, session.userId);
    if (revoked !== null && session.createdAt <= revoked) throw new AuthError('session-ended');
    const claims: VerifiedClaims = {
      ...lifetime,
      sub: session.userId,
      name: session.userName,
      tenant: session.tenant,
      docs: session.docs,
      admin: session.admin,
      ...(session.email ? { email: session.email } : {}),
    };
    return withShares(claims, base);
  }

  async function fromToken(token: string): Promise<Principal> {
    const claims = await deps.verify(token);
    return withShares(claims, { sessionId: null, csrf: null, guestLinkId: null, via: null });
  }

  return {
    request: (async (credential) => {
      if (credential?.startsWith('dbs.')) return fromSession(await deps.sessions.byCookie(credential));
      // A session's socket key as a bearer token (the Word add-in reads its document's link status with it).
      if (credential?.startsWith('dbk.')) return fromSession(await deps.sessions.bySocketKey(credential));
      if (!credential) throw new AuthError('token-missing');
      return fromToken(credential);
    }) satisfies Authenticate,
    socket: (async (credential) => {
      if (credential?.startsWith('dbk.')) return fromSession(await deps.sessions.bySocketKey(credential));
      if (!credential) throw new AuthError('token-missing');
      return fromToken(credential);
    }) satisfies Authenticate,
  };
}

export type Authenticator = ReturnType<typeof createAuthenticator>;
