import { createRemoteJWKSet, decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from 'jose';
import { type Claims, claimsSchema } from './claims.ts';
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

  return async function verify(token: string | undefined | null): Promise<Claims> {
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
    if (!claims.success) throw new AuthError('invalid-claims');
    return claims.data;
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

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
