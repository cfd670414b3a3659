import { OnBehalfOfCredential } from '@azure/identity';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorControl } from '../../helpers/emulatorControl.ts';
import { docxOf, trustCa, usersWithAccess } from '../../helpers/graphEmulator.ts';
import { type GraphEmulator, startGraphEmulator } from './server.ts';

const TENANT = '21111111-2222-3333-4444-555555555555';
const ADDIN = '3aaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'emulated~addin~secret';

let emulator: GraphEmulator;
let control: ReturnType<typeof emulatorControl>;
let driveId: string;
let itemId: string;

const addinToken = async (upn: string, body: Record<string, unknown> = {}) =>
  (await control<{ accessToken: string }>(`/control/users/${upn}/addin-token`, { audience: ADDIN, ...body }))
    .accessToken;

/** A delegated Graph token for the user of `assertion`, through the real @azure/identity OBO credential. */
const onBehalfOf = (assertion: string, clientId = ADDIN) => {
  // `disableInstanceDiscovery` is honoured at run time but missing from the constructor's overloads.
  const options = {
    tenantId: TENANT,
    clientId,
    clientSecret: SECRET,
    userAssertionToken: assertion,
    authorityHost: emulator.loginUrl,
    disableInstanceDiscovery: true,
  };
  return new OnBehalfOfCredential(options).getToken(`${emulator.graphUrl}/.default`);
};

const graph = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${emulator.graphUrl}/v1.0${path}`, {
    ...init,
    headers: { Authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
  });

beforeAll(async () => {
  emulator = await startGraphEmulator({ notificationLagMs: 200 });
  trustCa(emulator.caPem);
  control = emulatorControl(emulator.graphUrl);
  await control('/control/apps', { tenantId: TENANT, clientId: ADDIN, clientSecret: SECRET });
  ({ driveId } = await control<{ driveId: string }>('/control/drives', { tenantId: TENANT }));
  ({ itemId } = await control<{ itemId: string }>(`/control/drives/${driveId}/items`, {
    name: 'Policy.docx',
    contentBase64: Buffer.from(docxOf(['One'])).toString('base64'),
  }));
  await usersWithAccess(
    control,
    TENANT,
    { driveId, itemId },
    {
      'olga@contoso.com': 'owner',
      'wim@contoso.com': 'write',
      'rita@contoso.com': 'read',
      'nora@contoso.com': 'none',
    },
  );
});
afterAll(() => emulator?.close());

describe('the Graph emulator as Entra ID for the Word add-in', () => {
  it('signs v2.0 add-in tokens that check against its discovery document and JWKS', async () => {
    const token = await addinToken('wim@contoso.com');
    const discovery = (await (
      await fetch(`${emulator.loginUrl}/${TENANT}/v2.0/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: ADDIN,
    });
    expect(payload).toMatchObject({ tid: TENANT, ver: '2.0', scp: 'access_as_user', name: 'wim' });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'JWT' });
  });

  it('exchanges a user token on behalf of the user, and Graph then honours that user’s own access', async () => {
    const item = `/drives/${driveId}/items/${itemId}`;
    const writer = (await onBehalfOf(await addinToken('wim@contoso.com')))!.token;
    const reader = (await onBehalfOf(await addinToken('rita@contoso.com')))!.token;
    const stranger = (await onBehalfOf(await addinToken('nora@contoso.com')))!.token;
    const owner = (await onBehalfOf(await addinToken('olga@contoso.com')))!.token;

    expect((await graph(writer, `${item}?$select=id`)).status).toBe(200);
    expect((await graph(reader, `${item}?$select=id`)).status).toBe(200);
    const denied = await graph(stranger, `${item}?$select=id`);
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('accessDenied');

    const put = (token: string) =>
      graph(token, `${item}/content`, { method: 'PUT', body: new Uint8Array(docxOf(['Two'])) });
    const refused = await put(reader);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('accessDenied');
    const written = await put(writer);
    expect(written.status).toBe(200);
    expect(((await written.json()) as { lastModifiedBy: unknown }).lastModifiedBy).toEqual({
      user: { displayName: 'wim', email: 'wim@contoso.com' },
    });

    // An owner sees every permission; anyone else only their own.
    type Permissions = { value: { roles: string[]; grantedToV2: { user: { email: string } } }[] };
    const list = async (token: string) =>
      ((await (await graph(token, `${item}/permissions`)).json()) as Permissions).value.map(
        (p) => `${p.grantedToV2.user.email}:${p.roles.join()}`,
      );
    expect((await list(owner)).sort()).toEqual([
      'olga@contoso.com:owner',
      'rita@contoso.com:read',
      'wim@contoso.com:write',
    ]);
    expect(await list(reader)).toEqual(['rita@contoso.com:read']);
  });

  it('refuses assertions Entra refuses, with its AADSTS errors', async () => {
    const reason = async (assertion: string, clientId = ADDIN) => {
      try {
        await onBehalfOf(assertion, clientId);
      } catch (error) {
        return /AADSTS\d+/.exec(String((error as Error).message))?.[0];
      }
      throw new Error('the exchange was accepted');
    };
    // Issued for another application than the one presenting it.
    await control('/control/apps', { tenantId: TENANT, clientId: 'other-app', clientSecret: SECRET });
    expect(await reason(await addinToken('wim@contoso.com'), 'other-app')).toBe('AADSTS50013');
    // Expired.
    expect(await reason(await addinToken('wim@contoso.com', { lifetimeSeconds: -900 }))).toBe('AADSTS500133');
    // The same claims signed by someone else's key.
    const genuine = await addinToken('wim@contoso.com');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT(decodeJwt(genuine))
      .setProtectedHeader(decodeProtectedHeader(genuine) as { alg: string })
      .sign(privateKey);
    expect(await reason(forged)).toBe('AADSTS50013');
  });
});
