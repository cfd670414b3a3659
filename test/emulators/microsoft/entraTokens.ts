import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  exportJWK,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { EntraUser } from './graphState.ts';

/** Office's own client id: the `azp` of every token Office SSO (`Office.auth.getAccessToken`) asks for. */
export const OFFICE_CLIENT_ID = 'ea5a67f6-b6f3-4338-b240-c655ddc3cc8e';

/** Why an OBO assertion was refused, in Entra's words (error code, AADSTS number, description). */
export interface AssertionRefusal {
  error: 'invalid_grant' | 'invalid_request';
  code: number;
  description: string;
}

/**
 * The emulated Entra ID's signing side: one RSA key (published at `/{tenant}/discovery/v2.0/keys` as Entra
 * does, with `kid` and `x5t`), v2.0 user access tokens as Office SSO obtains them for an add-in's app
 * registration (`aud` = its client id, `scp` = `access_as_user`, `azp` = Office), ID tokens for the OBO answer,
 * and the checks the token endpoint makes on an on-behalf-of assertion.
 */
export class EntraTokens {
  private readonly kid = randomBytes(20).toString('base64url');
  private readonly keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private publicJwk: JWK | null = null;

  /** The JSON Web Key Set (`jwks_uri`). */
  async jwks(): Promise<{ keys: JWK[] }> {
    this.publicJwk ??= {
      ...(await exportJWK(this.keys.publicKey)),
      kid: this.kid,
      x5t: this.kid,
      use: 'sig',
      alg: 'RS256',
    };
    return { keys: [this.publicJwk] };
  }

  /** The issuer of v2.0 tokens for `tenantId` at this authority (`{login}/{tid}/v2.0`). */
  issuer(authority: string, tenantId: string): string {
    return `${authority}/${tenantId}/v2.0`;
  }

  /**
   * The access token Office SSO would hand the add-in for `user`: v2.0, for the API `audience` (the add-in's
   * client id), valid from `now + notBeforeSeconds` for `lifetimeSeconds` (negative: already expired). `azp`
   * is the client that asked for it: Office for SSO, the add-in itself when its sign-in dialog did (public client).
   */
  async userAccessToken(
    authority: string,
    user: EntraUser,
    audience: string,
    options: { lifetimeSeconds?: number; notBeforeSeconds?: number; azp?: string } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const nbf = now + (options.notBeforeSeconds ?? 0);
    const lifetime = options.lifetimeSeconds ?? 3600;
    return new SignJWT({
      aio: randomBytes(24).toString('base64url'),
      azp: options.azp ?? OFFICE_CLIENT_ID,
      azpacr: '0',
      name: user.displayName,
      oid: user.oid,
      preferred_username: user.upn,
      rh: randomBytes(12).toString('base64url'),
      scp: 'access_as_user',
      tid: user.tenantId,
      uti: randomBytes(16).toString('base64url'),
      ver: '2.0',
    })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.kid })
      .setIssuer(this.issuer(authority, user.tenantId))
      .setAudience(audience)
      .setSubject(pairwiseSubject(user, audience))
      .setIssuedAt(Math.min(now, nbf))
      .setNotBefore(nbf)
      .setExpirationTime(lifetime < 0 ? now + lifetime : nbf + lifetime)
      .sign(this.keys.privateKey);
  }

  /** The ID token of an OBO answer that asked for `openid` (MSAL reads the account from it). */
  async idToken(authority: string, user: EntraUser, clientId: string): Promise<string> {
    return new SignJWT({
      name: user.displayName,
      oid: user.oid,
      preferred_username: user.upn,
      tid: user.tenantId,
      ver: '2.0',
    })
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', kid: this.kid })
      .setIssuer(this.issuer(authority, user.tenantId))
      .setAudience(clientId)
      .setSubject(pairwiseSubject(user, clientId))
      .setIssuedAt()
      .setNotBefore(Math.floor(Date.now() / 1000))
      .setExpirationTime('1h')
      .sign(this.keys.privateKey);
  }

  /**
   * Checks an on-behalf-of `assertion` presented by `clientId` at `tenantId`'s token endpoint: signed by this
   * authority's key, issued for this tenant, within its lifetime, and for this very client (the middle tier
   * may only exchange tokens that were sent to it). Returns the user's object id, or Entra's refusal.
   */
  async checkAssertion(
    authority: string,
    tenantId: string,
    clientId: string,
    assertion: string,
  ): Promise<{ oid: string; tid: string } | AssertionRefusal> {
    const refused = (code: number, description: string): AssertionRefusal => ({
      error: 'invalid_grant',
      code,
      description,
    });
    let claims: ReturnType<typeof decodeJwt>;
    try {
      decodeProtectedHeader(assertion);
      claims = decodeJwt(assertion);
    } catch {
      return { error: 'invalid_request', code: 50027, description: 'JWT token is invalid or malformed.' };
    }
    try {
      const key = await importJWK((await this.jwks()).keys[0]!, 'RS256');
      await jwtVerify(assertion, key, { algorithms: ['RS256'], clockTolerance: 300 });
    } catch (error) {
      if (error instanceof errors.JWTExpired || error instanceof errors.JWTClaimValidationFailed) {
        return refused(
          500133,
          'Assertion is not within its valid time range. Ensure that the access token is not expired before using it for user assertion, or request a new token.',
        );
      }
      return refused(50013, 'Assertion failed signature validation. [Reason - The key was not found.]');
    }
    const tid = String(claims.tid ?? '');
    if (claims.iss !== this.issuer(authority, tid) || tid !== tenantId) {
      return refused(50013, 'Assertion contains an invalid issuer or was issued for another tenant.');
    }
    if (claims.aud !== clientId) {
      return refused(
        50013,
        `Assertion audience does not match the Client app presenting the assertion. The audience in the assertion was '${String(claims.aud)}' and the expected audience is '${clientId}' or one of the Application Uris of this application with App ID '${clientId}'.`,
      );
    }
    return { oid: String(claims.oid ?? ''), tid };
  }
}

/** `sub` is pairwise in Entra: the same user has a different subject for every application. */
function pairwiseSubject(user: EntraUser, clientId: string): string {
  return createHash('sha256').update(`${user.oid}:${clientId}`).digest('base64url').slice(0, 43);
}

/** A fresh directory object id for a new user. */
export function newObjectId(): string {
  return randomUUID();
}
