import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

const cwd = () => mkdtempSync(join(tmpdir(), 'docbridge-oidc-config-'));
const good = {
  id: 'dept-a',
  tenant: 'dept-a',
  label: 'Department A (Entra ID)',
  issuer: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0',
  clientId: 'client-a',
  clientSecret: 'a secret',
};
// Outside local mode the server needs a master key for connector secrets.
const masterKey = { DOCBRIDGE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64') };
const load = (providers: unknown) =>
  loadConfig(
    {
      ...masterKey,
      DOCBRIDGE_OIDC_PROVIDERS: typeof providers === 'string' ? providers : JSON.stringify(providers),
    },
    cwd(),
  );

/** The message of the ConfigError `run` throws: it must be a single line. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a configuration error');
}

describe('DOCBRIDGE_OIDC_PROVIDERS', () => {
  it('accepts several providers, each mapped to one tenant, and leaves local mode', () => {
    const config = load([
      good,
      {
        ...good,
        id: 'dept-b',
        tenant: 'dept-b',
        clientSecret: undefined,
        privateKeyJwk: { kty: 'RSA', d: 'x', n: 'y', e: 'AQAB' },
      },
    ]);
    expect(config.oidcProviders.map((p) => [p.id, p.tenant])).toEqual([
      ['dept-a', 'dept-a'],
      ['dept-b', 'dept-b'],
    ]);
    expect(config.localMode).toBe(false);
  });

  it('reads the same key from the config file as a JSON array', () => {
    const dir = cwd();
    writeFileSync(join(dir, 'docbridge.config.json'), JSON.stringify({ DOCBRIDGE_OIDC_PROVIDERS: [good] }));
    expect(loadConfig(masterKey, dir).oidcProviders).toEqual([good]);
  });

  it('names each mistake in one line: which provider, which field, what is expected', () => {
    expect(errorOf(() => load('not json'))).toBe(
      'DOCBRIDGE_OIDC_PROVIDERS: expected a JSON array of providers ({ id, tenant, label, issuer, clientId, ... })',
    );
    expect(errorOf(() => load(good))).toBe(
      'DOCBRIDGE_OIDC_PROVIDERS: expected a JSON array of providers, not a single value',
    );
    expect(errorOf(() => load([{ ...good, id: 'Dept A' }]))).toMatch(
      /^DOCBRIDGE_OIDC_PROVIDERS: provider "Dept A": id: id must be a lowercase slug/,
    );
    expect(errorOf(() => load([{ ...good, tenant: undefined }]))).toMatch(
      'DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": tenant: is required',
    );
    expect(errorOf(() => load([{ ...good, issuer: 'http://idp.example' }]))).toBe(
      'DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": issuer: issuer must use https (plain http only on loopback, for development)',
    );
    expect(errorOf(() => load([{ ...good, clientId: '' }]))).toBe(
      'DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": clientId: clientId is required',
    );
    expect(errorOf(() => load([{ ...good, privateKeyJwk: { kty: 'RSA', d: 'x' } }]))).toBe(
      'DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": give either clientSecret or privateKeyJwk, not both',
    );
    expect(
      errorOf(() =>
        load([{ ...good, clientSecret: undefined, privateKeyJwk: { kty: 'RSA', n: 'public only' } }]),
      ),
    ).toMatch(/^DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": privateKeyJwk\.d: /);
    expect(errorOf(() => load([{ ...good, clientSecrets: 'typo' }]))).toBe(
      'DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": unknown field clientSecrets',
    );
    expect(errorOf(() => load([good, { ...good, tenant: 'dept-b' }]))).toBe(
      'DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": id is used by another provider',
    );
    expect(errorOf(() => load([{ tenant: 'x' }]))).toMatch(
      'DOCBRIDGE_OIDC_PROVIDERS: provider #1: id: is required',
    );
    expect(errorOf(() => load([{ ...good, adminClaim: { claim: 'roles' } }]))).toMatch(
      'DOCBRIDGE_OIDC_PROVIDERS: provider "dept-a": adminClaim.value: expected the claim value (a string, number or boolean) that makes an admin',
    );
  });
});
