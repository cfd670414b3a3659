import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { claimsSchema, type VerifiedClaims } from './claims.ts';
import { AuthError } from './errors.ts';

export interface VerifierOptions {
  /** HS256 shared secret (portals, and the local sign-in). */
  secret?: string;
  /** JSON Web Key Set of a trusted identity provider (RS256 / ES256). */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
}

const asymmetric = ['RS256', 'ES256'];

/**
 * Verifies bearer tokens and returns their claims, or throws an AuthError naming why not. The algorithm is
 * chosen by which keys are configured, never by the token: `none` and unexpected algorithms are refused before
 * any verification, an HS256 token is never checked against a public key, and `exp` is required.
 */
export function createTokenVerifier(options: VerifierOptions) {
  const secret = options.secret ? new TextEncoder().encode(options.secret) : null;
  const jwks = options.jwksUrl ? createRemoteJWKSet(new URL(options.jwksUrl)) : null;
  const claimChecks = {
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
    requiredClaims: ['exp'],
  };

  return async function verify(token: string | undefined | null): Promise<VerifiedClaims> {
    if (!token) throw new AuthError('token-missing');
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new AuthError('token-malformed');
    }
    let payload: JWTPayload;
    try {
      if (alg === 'HS256' && secret) {
        payload = (await jwtVerify(token, secret, { ...claimChecks, algorithms: ['HS256'] })).payload;
      } else if (alg && asymmetric.includes(alg) && jwks) {
        payload = (await jwtVerify(token, jwks, { ...claimChecks, algorithms: asymmetric })).payload;
      } else {
        throw new AuthError('algorithm-not-allowed');
      }
    } catch (error) {
      throw toAuthError(error);
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success || typeof payload.exp !== 'number') throw new AuthError('invalid-claims');
    return { ...claims.data, exp: payload.exp, iat: typeof payload.iat === 'number' ? payload.iat : null };
  };
}

/** Verifies a bearer token: its claims and lifetime, or an AuthError naming why not. */
export type TokenVerifier = (token: string | undefined | null) => Promise<VerifiedClaims>;

/**
 * `verify`, then refuses a token whose user an admin revoked at or after the token was issued (a token
 * without `iat` counts as issued before any revocation). Asked on every call, not cached: a revocation holds
 * on every instance the moment it is stored.
 */
export function refusingRevoked(
  verify: TokenVerifier,
  revokedAt: (tenant: string, sub: string) => Promise<number | null>,
): TokenVerifier {
  return async (token) => {
    const claims = await verify(token);
    const revoked = await revokedAt(claims.tenant, claims.sub);
    if (revoked !== null && (claims.iat === null || claims.iat * 1000 <= revoked))
      throw new AuthError('token-revoked');
    return claims;
  };
}

function toAuthError(error: unknown): AuthError {
  if (error instanceof AuthError) return error;
  if (error instanceof errors.JWTExpired) return new AuthError('token-expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new AuthError('wrong-issuer');
    if (error.claim === 'aud') return new AuthError('wrong-audience');
    if (error.claim === 'nbf') return new AuthError('token-not-yet-valid');
    return new AuthError('invalid-claims');
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return new AuthError('bad-signature');
  if (error instanceof errors.JOSEAlgNotAllowed) return new AuthError('algorithm-not-allowed');
  if (error instanceof errors.JWKSNoMatchingKey) return new AuthError('bad-signature');
  return new AuthError('token-malformed');
}
