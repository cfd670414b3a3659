import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { type AccessToken, OnBehalfOfCredential, type TokenCredential } from '@azure/identity';
import { importPKCS8, SignJWT } from 'jose';
import { z } from 'zod';
import { RateLimiter } from '../sync/rateLimiter.ts';
import { RemoteError } from '../sync/remoteErrors.ts';
import type { MicrosoftAppCredential } from './credentials.ts';
import { GraphApi } from './graphApi.ts';
import { canonicalRemoteId, itemAddress } from './itemAddress.ts';
import { WordAddinError } from './wordAddinError.ts';

/** A file as the signed-in user reaches it, and what they may do with it. */
export interface UserFile {
  /** The canonical remote id (`drives/{d}/items/{i}`), as links store it. */
  remoteId: string;
  name: string;
  role: 'edit' | 'read';
}

const itemSchema = z.object({
  id: z.string(),
  name: z.string(),
  parentReference: z.object({ driveId: z.string() }),
});

const identity = z
  .object({ user: z.object({ id: z.string().optional() }).passthrough().optional() })
  .passthrough();
const permissionsSchema = z.object({
  value: z.array(
    z
      .object({
        roles: z.array(z.string()).default([]),
        grantedToV2: identity.optional(),
        grantedTo: identity.optional(),
        grantedToIdentitiesV2: z.array(identity).optional(),
        link: z.unknown().optional(),
      })
      .passthrough(),
  ),
});

/**
 * What the signed-in user may do with the file the add-in has open, asked as that user (issue 13, item 2).
 * The add-in's Office SSO token is exchanged on behalf of the user (OAuth 2.0 on-behalf-of, client id =
 * the add-in's app registration, proven with the department credential's secret or certificate) for a
 * delegated Graph token; Graph then answers with the user's own rights, never the app's:
 * 1. `GET /shares/{u!…}/driveItem` (a sharing or browser address) or `GET /drives/{d}/items/{i}`, `$select`ed
 *    to the id: Graph answers only when the user can read the file (403/404 otherwise).
 * 2. `GET /drives/{d}/items/{i}/permissions`: Graph has no "effective permission of the caller" call in
 *    v1.0, but this list is documented to hold every permission for an owner and, for anyone else, only the
 *    permissions that apply to the caller. So the user can write when a permission granted to them (their
 *    object id) is `owner` or `write`, or, as a non-owner, when any permission they are shown is `write`
 *    (a group, site or link grant that applies to them). A write probe was rejected: Graph has no dry-run
 *    write, and any real write would change the file's eTag under the link.
 */
export async function userFileAccess(
  app: MicrosoftAppCredential,
  addinClientId: string,
  userToken: string,
  objectId: string,
  remoteId: string,
): Promise<UserFile> {
  const token = await exchange(app, addinClientId, userToken);
  const limiter = new RateLimiter(5, 10);
  const graph = new GraphApi(app, { reads: limiter, writes: limiter }, fixedToken(token));
  const address = itemAddress(remoteId);
  const path = address
    ? `/drives/${encodeURIComponent(address.driveId)}/items/${encodeURIComponent(address.itemId)}`
    : `/${remoteId}/driveItem`;
  const item = itemSchema.parse(
    await asUser(() =>
      graph.call('file as the user', 'read', (client) =>
        client.api(path).select('id,name,parentReference').get(),
      ),
    ),
  );
  const canonical = canonicalRemoteId(item.parentReference.driveId, item.id);
  const permissions = permissionsSchema.parse(
    await asUser(() =>
      graph.call('permissions as the user', 'read', (client) =>
        client
          .api(
            `/drives/${encodeURIComponent(item.parentReference.driveId)}/items/${encodeURIComponent(item.id)}/permissions`,
          )
          .get(),
      ),
    ),
  ).value;
  const grantees = (p: (typeof permissions)[number]) =>
    [p.grantedToV2, p.grantedTo, ...(p.grantedToIdentitiesV2 ?? [])].map((g) => g?.user?.id?.toLowerCase());
  const mine = permissions.filter((p) => grantees(p).includes(objectId));
  const owner = mine.some((p) => p.roles.includes('owner'));
  const canWrite =
    owner ||
    mine.some((p) => p.roles.includes('write')) ||
    permissions.some((p) => p.roles.includes('write') && !grantees(p).some((id) => id && id !== objectId));
  return { remoteId: canonical, name: item.name, role: canWrite ? 'edit' : 'read' };
}

/** The on-behalf-of exchange, its refusals in the add-in's terms (Entra's text reduced to its AADSTS number). */
async function exchange(
  app: MicrosoftAppCredential,
  clientId: string,
  userToken: string,
): Promise<AccessToken> {
  // `disableInstanceDiscovery` (ask only this authority) is honoured but missing from the constructor's types.
  const options = {
    tenantId: app.tenantId,
    clientId,
    userAssertionToken: userToken,
    authorityHost: app.endpoints.login,
    disableInstanceDiscovery: true,
  };
  const credential =
    app.secret.kind === 'clientSecret'
      ? new OnBehalfOfCredential({ ...options, clientSecret: app.secret.clientSecret })
      : new OnBehalfOfCredential({ ...options, getAssertion: clientAssertion(app, clientId) });
  try {
    const token = await credential.getToken(`${new URL(app.endpoints.graph).origin}/.default`);
    if (!token) throw new Error('no token');
    return token;
  } catch (error) {
    const aadsts = /AADSTS(\d+)/.exec(String((error as Error)?.message))?.[1];
    if (aadsts === '500133')
      throw new WordAddinError('WORD_ADDIN_TOKEN_EXPIRED', 'The sign-in token has expired: sign in again.');
    if (aadsts === '50013' || aadsts === '50027')
      throw new WordAddinError(
        'WORD_ADDIN_TOKEN_INVALID',
        `Microsoft Entra refused the sign-in token (AADSTS${aadsts}).`,
      );
    if (aadsts === '65001') {
      throw new WordAddinError(
        'WORD_ADDIN_NOT_CONFIGURED',
        'An administrator must grant the Word add-in its Microsoft Graph permissions (AADSTS65001).',
      );
    }
    if (aadsts) {
      throw new WordAddinError(
        'WORD_ADDIN_NOT_CONFIGURED',
        `Microsoft Entra refused the department’s add-in registration (AADSTS${aadsts}).`,
      );
    }
    throw new WordAddinError('WORD_ADDIN_UNAVAILABLE', 'Microsoft Entra did not answer. Try again shortly.');
  }
}

/**
 * A certificate credential's client assertion (RFC 7523, as Entra documents it: `x5t#S256` thumbprint, `aud` =
 * the token endpoint, `iss` = `sub` = the client id), for OnBehalfOfCredential, which reads certificates only
 * from files: the credential's PEM never touches the disk.
 */
function clientAssertion(app: MicrosoftAppCredential, clientId: string): () => Promise<string> {
  return async () => {
    if (app.secret.kind !== 'certificate') throw new Error('not a certificate credential');
    const pem = app.secret.certificate;
    const certificate = new X509Certificate(pem);
    const keyPem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)?.[0];
    if (!keyPem) throw new Error('the certificate PEM holds no PKCS#8 private key');
    const thumbprint = createHash('sha256').update(certificate.raw).digest('base64url');
    return new SignJWT({})
      .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': thumbprint })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(`${app.endpoints.login}/${app.tenantId}/oauth2/v2.0/token`)
      .setJti(randomUUID())
      .setIssuedAt()
      .setNotBefore(Math.floor(Date.now() / 1000))
      .setExpirationTime('10m')
      .sign(await importPKCS8(keyPem, 'PS256'));
  };
}

/** A credential that answers the token already obtained (the exchange happens once per sign-in). */
function fixedToken(token: AccessToken): TokenCredential {
  return { getToken: async () => token };
}

/** Graph's refusals as the user, in the add-in's terms. */
async function asUser<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof RemoteError)) throw error;
    if (error.code === 'REMOTE_AUTH_FAILED')
      throw new WordAddinError(
        'WORD_ADDIN_NO_ACCESS',
        'You have no access to this file in OneDrive or SharePoint.',
      );
    if (error.code === 'REMOTE_NOT_FOUND')
      throw new WordAddinError(
        'WORD_ADDIN_NOT_LINKED',
        'OneDrive or SharePoint has no file at this address.',
      );
    throw new WordAddinError('WORD_ADDIN_UNAVAILABLE', 'Microsoft Graph did not answer. Try again shortly.');
  }
}
