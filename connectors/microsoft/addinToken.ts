import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { z } from 'zod';
import { WordAddinError } from './wordAddinError.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Discovery documents and key sets are fetched again after this (Entra rolls its keys over weeks). */
const DISCOVERY_TTL_MS = 3600_000;
/** Microsoft's own token validation allows five minutes of clock skew; so do we. */
const CLOCK_SKEW_SECONDS = 300;

/** Who a valid Office SSO token names. */
export interface AddinUser {
  /** The Entra directory (`tid`). */
  tenantId: string;
  /** The user's directory object id (`oid`): stable across applications, unlike `sub`. */
  objectId: string;
  name: string | null;
  /** `preferred_username`: the UPN of a work account (display only; never used for access decisions). */
  username: string | null;
  /** The add-in client id the token was issued for. */
  audience: string;
  /** When the token expires (epoch ms). */
  expiresAt: number;
}

const payloadSchema = z.object({
  tid: z.string().regex(GUID),
  oid: z.string().regex(GUID),
  aud: z.string(),
  scp: z.string().min(1),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
});

const discoverySchema = z.object({ issuer: z.string().url(), jwks_uri: z.string().url() });

/**
 * The directory an Office SSO token claims to come from, read before any verification only to know which
 * department's credential (and so which authority's keys) to check it against. Refuses what Entra never
 * issues to an add-in: another algorithm than RS256, a v1.0 token (whose audience and issuer differ: the
 * add-in's app registration must ask for v2.0 tokens, `accessTokenAcceptedVersion: 2`), no tenant.
 */
export function claimedTenant(token: string): string {
  let tid: unknown;
  let version: unknown;
  try {
    if (decodeProtectedHeader(token).alg !== 'RS256') throw new Error('alg');
    ({ tid, ver: version } = decodeJwt(token));
  } catch {
    throw new WordAddinError('WORD_ADDIN_TOKEN_INVALID', 'The sign-in token is not a Microsoft Entra token.');
  }
  if (version !== '2.0') {
    throw new WordAddinError(
      'WORD_ADDIN_TOKEN_INVALID',
      'The sign-in token is a v1.0 token: set accessTokenAcceptedVersion to 2 in the add-in’s app registration.',
    );
  }
  if (typeof tid !== 'string' || !GUID.test(tid)) {
    throw new WordAddinError('WORD_ADDIN_TOKEN_INVALID', 'The sign-in token names no Entra directory.');
  }
  return tid.toLowerCase();
}

/**
 * Verifies Office SSO access tokens (`Office.auth.getAccessToken`) the way Microsoft's own libraries do:
 * the tenant's OpenID discovery document (`{login}/{tid}/v2.0/.well-known/openid-configuration`) gives the
 * issuer and the JWKS address; the signature must check with one of its keys (RS256), the issuer match,
 * `exp`/`nbf` hold (5 minutes of skew), and the audience be one of the departments' add-in client ids (v2.0
 * tokens always carry the client id GUID as `aud`, never the `api://` App ID URI). It must be a delegated
 * token (`scp`) naming a user (`oid`). Discovery and keys are cached per authority and tenant.
 */
export class AddinTokenVerifier {
  private readonly discovery = new Map<
    string,
    { at: number; value: Promise<{ issuer: string; keys: JWTVerifyGetKey }> }
  >();

  async verify(
    token: string,
    options: { login: string; tenantId: string; audiences: string[] },
  ): Promise<AddinUser> {
    const { issuer, keys } = await this.discover(options.login, options.tenantId);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer,
        audience: options.audiences,
        requiredClaims: ['exp', 'iat'],
        clockTolerance: CLOCK_SKEW_SECONDS,
      }));
    } catch (error) {
      throw refusal(error);
    }
    const claims = payloadSchema.safeParse(payload);
    if (!claims.success || claims.data.tid.toLowerCase() !== options.tenantId) {
      throw new WordAddinError(
        'WORD_ADDIN_TOKEN_INVALID',
        'The sign-in token is not a user’s token for the add-in (it needs tid, oid and scp).',
      );
    }
    return {
      tenantId: options.tenantId,
      objectId: claims.data.oid.toLowerCase(),
      name: claims.data.name ?? null,
      username: claims.data.preferred_username ?? null,
      audience: claims.data.aud,
      expiresAt: (payload.exp ?? 0) * 1000,
    };
  }

  private discover(login: string, tenantId: string) {
    const address = `${login}/${tenantId}/v2.0/.well-known/openid-configuration`;
    const cached = this.discovery.get(address);
    if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.value;
    const value = (async () => {
      let document: z.infer<typeof discoverySchema>;
      try {
        const response = await fetch(address, { signal: AbortSignal.timeout(10_000), redirect: 'error' });
        if (!response.ok) throw new Error(`status ${response.status}`);
        document = discoverySchema.parse(await response.json());
      } catch {
        throw new WordAddinError(
          'WORD_ADDIN_UNAVAILABLE',
          'Microsoft Entra’s sign-in configuration for this directory could not be read. Try again shortly.',
        );
      }
      // The keys must come from the authority the admin configured, whatever the document says.
      const jwksUri = new URL(document.jwks_uri);
      if (jwksUri.origin !== new URL(login).origin) {
        throw new WordAddinError(
          'WORD_ADDIN_UNAVAILABLE',
          'The sign-in authority names keys on another host.',
        );
      }
      return { issuer: document.issuer, keys: createRemoteJWKSet(jwksUri, { timeoutDuration: 10_000 }) };
    })();
    value.catch(() => this.discovery.delete(address));
    this.discovery.set(address, { at: Date.now(), value });
    return value;
  }
}

function refusal(error: unknown): WordAddinError {
  if (error instanceof errors.JWTExpired)
    return new WordAddinError('WORD_ADDIN_TOKEN_EXPIRED', 'The sign-in token has expired: sign in again.');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return new WordAddinError(
      'WORD_ADDIN_WRONG_AUDIENCE',
      'The sign-in token was issued for another application than this department’s Word add-in.',
    );
  }
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    return new WordAddinError('WORD_ADDIN_UNAVAILABLE', 'Microsoft Entra’s signing keys could not be read.');
  }
  return new WordAddinError('WORD_ADDIN_TOKEN_INVALID', 'The sign-in token is not valid.');
}
