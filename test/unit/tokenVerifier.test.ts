import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleFor } from '../../server/auth/claims.ts';
import { createTokenVerifier } from '../../server/auth/tokenVerifier.ts';
import { portalToken, TEST_SECRET, unsignedToken } from '../helpers/tokens.ts';

const claims = { sub: 'u1', name: 'Ada', tenant: 'dept-a', docs: { 'dept-a/*': 'edit' } };
let jwksServer: Server;
let jwksUrl: string;
let privateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

const idpToken = (overrides: { iss?: string; aud?: string; exp?: number } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(overrides.iss ?? 'https://idp.example')
    .setAudience(overrides.aud ?? 'docbridge')
    .setExpirationTime(overrides.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(privateKey);

const reasonOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: { reason?: string }) => error.reason,
  );

describe('token verification', () => {
  const portal = createTokenVerifier({ secret: TEST_SECRET, audience: 'docbridge' });
  const idp = () => createTokenVerifier({ jwksUrl, issuer: 'https://idp.example', audience: 'docbridge' });

  it('accepts a portal token and an identity-provider token, returning their claims', async () => {
    expect(await portal(await portalToken(claims as never, { audience: 'docbridge' }))).toMatchObject({
      tenant: 'dept-a',
    });
    expect(await idp()(await idpToken())).toMatchObject({ sub: 'u1', docs: { 'dept-a/*': 'edit' } });
  });

  it('names each refusal', async () => {
    expect(await reasonOf(portal(await portalToken(claims as never, { audience: 'other' })))).toBe(
      'wrong-audience',
    );
    expect(await reasonOf(idp()(await idpToken({ aud: 'other' })))).toBe('wrong-audience');
    expect(await reasonOf(idp()(await idpToken({ iss: 'https://evil.example' })))).toBe('wrong-issuer');
    expect(await reasonOf(idp()(await idpToken({ exp: Math.floor(Date.now() / 1000) - 60 })))).toBe(
      'token-expired',
    );
    expect(await reasonOf(portal(unsignedToken(claims)))).toBe('algorithm-not-allowed');
    expect(await reasonOf(portal('not.a.jwt'))).toBe('token-malformed');
    expect(await reasonOf(portal(''))).toBe('token-missing');
  });

  it('never checks an HS256 token against a public key, nor an RS256 token against the shared secret', async () => {
    expect(await reasonOf(idp()(await portalToken(claims as never, { audience: 'docbridge' })))).toBe(
      'algorithm-not-allowed',
    );
    expect(await reasonOf(portal(await idpToken()))).toBe('algorithm-not-allowed');
  });

  it('refuses tokens whose claims break the contract', async () => {
    const bad = await portalToken({ tenant: 'Not A Slug', docs: {} } as never, { audience: 'docbridge' });
    expect(await reasonOf(portal(bad))).toBe('invalid-claims');
  });
});

describe('document grants', () => {
  const user = { sub: 'u', tenant: 'dept-a', docs: { 'dept-a/*': 'read', 'dept-a/plan': 'edit' } } as const;
  it('takes the strongest matching grant, prefixes included', () => {
    expect(roleFor({ ...user, docs: { ...user.docs } }, 'dept-a/plan')).toBe('edit');
    expect(roleFor({ ...user, docs: { ...user.docs } }, 'dept-a/other')).toBe('read');
  });
  it('never reaches another tenant or a malformed name', () => {
    expect(roleFor({ ...user, docs: { '*': 'edit' } }, 'dept-b/plan')).toBeNull();
    expect(roleFor({ ...user, docs: { '*': 'edit' } }, 'dept-a/../x')).toBeNull();
  });
});
