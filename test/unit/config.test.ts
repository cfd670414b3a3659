import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

const cwd = () => mkdtempSync(join(tmpdir(), 'docbridge-config-'));
/** The least a portal-mode server needs: a JWT secret and a master key. */
const portal = { DOCBRIDGE_JWT_SECRET: 'x'.repeat(32), DOCBRIDGE_MASTER_KEY: 'a2V5' };

describe('configuration', () => {
  it('defaults to local mode on loopback with SQLite under ./data', () => {
    const dir = cwd();
    const config = loadConfig({}, dir);
    expect(config).toMatchObject({
      PORT: 8080,
      host: '127.0.0.1',
      localMode: true,
      dataDir: join(dir, 'data'),
      DOCBRIDGE_COMMIT_SPACING_MS: 100,
    });
  });

  it('stops with one line naming the variable and what it expects', () => {
    expect(() => loadConfig({ PORT: 'eighty' }, cwd())).toThrow(/^PORT: /);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' }, cwd())).toThrow(
      'DATABASE_URL: expected a postgres:// connection URL',
    );
    expect(() => loadConfig({ DOCBRIDGE_JWT_SECRET: 'short' }, cwd())).toThrow(
      'DOCBRIDGE_JWT_SECRET: expected at least 32 characters',
    );
    expect(() => loadConfig({ DOCBRIDGE_ALLOWED_ORIGINS: 'portal.example' }, cwd())).toThrow(
      /^DOCBRIDGE_ALLOWED_ORIGINS: expected/,
    );
    expect(() => loadConfig({ DOCBRIDGE_JWKS_URL: 'https://idp.example/jwks' }, cwd())).toThrow(
      /^DOCBRIDGE_JWT_ISSUER: /,
    );
    expect(() => loadConfig({ DOCBRIDGE_COMMIT_SPACING_MS: '5000' }, cwd())).toThrow(
      'DOCBRIDGE_COMMIT_SPACING_MS: expected milliseconds, at most 1000',
    );
  });

  it('never opens an unauthenticated server on a public interface', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' }, cwd())).toThrow(/^HOST: expected a loopback address/);
    expect(loadConfig({ HOST: '0.0.0.0', ...portal }, cwd()).host).toBe('0.0.0.0');
  });

  it('outside local mode, refuses to start without a master key instead of writing a key file', () => {
    expect(() => loadConfig({ DOCBRIDGE_JWT_SECRET: 'x'.repeat(32) }, cwd())).toThrow(
      /^DOCBRIDGE_MASTER_KEY: expected a key/,
    );
    expect(loadConfig({ ...portal }, cwd()).localMode).toBe(false);
    expect(
      loadConfig({ DOCBRIDGE_JWT_SECRET: 'x'.repeat(32), DOCBRIDGE_MASTER_KEYS: 'a:k' }, cwd()),
    ).toBeTruthy();
    expect(loadConfig({}, cwd()).localMode).toBe(true);
  });

  it('accepts a JWKS URL only over https, except on loopback', () => {
    const jwks = (url: string) =>
      loadConfig(
        {
          DOCBRIDGE_JWKS_URL: url,
          DOCBRIDGE_JWT_ISSUER: 'i',
          DOCBRIDGE_JWT_AUDIENCE: 'a',
          DOCBRIDGE_MASTER_KEY: 'k',
        },
        cwd(),
      );
    expect(() => jwks('http://idp.example/jwks')).toThrow(/^DOCBRIDGE_JWKS_URL: expected an https URL/);
    expect(jwks('https://idp.example/jwks').DOCBRIDGE_JWKS_URL).toBe('https://idp.example/jwks');
    expect(jwks('http://127.0.0.1:9999/jwks').DOCBRIDGE_JWKS_URL).toBe('http://127.0.0.1:9999/jwks');
  });

  it('allows localhost origins only when the server itself is local', () => {
    const origins = { DOCBRIDGE_ALLOWED_ORIGINS: 'http://localhost:3000' };
    expect(loadConfig(origins, cwd()).loopbackOrigins).toBe(true);
    expect(() => loadConfig({ ...origins, ...portal, HOST: '0.0.0.0' }, cwd())).toThrow(
      /^DOCBRIDGE_ALLOWED_ORIGINS: http:\/\/localhost:3000 is a localhost origin/,
    );
    expect(loadConfig({ ...portal, HOST: '0.0.0.0' }, cwd()).loopbackOrigins).toBe(false);
    expect(loadConfig({ ...origins, ...portal, HOST: '127.0.0.1' }, cwd()).loopbackOrigins).toBe(true);
  });

  it('reads docbridge.config.json, with the environment taking precedence', () => {
    const dir = cwd();
    writeFileSync(
      join(dir, 'docbridge.config.json'),
      JSON.stringify({ PORT: 9000, DOCBRIDGE_ALLOWED_ORIGINS: ['https://a.example'] }),
    );
    expect(loadConfig({}, dir)).toMatchObject({
      PORT: 9000,
      DOCBRIDGE_ALLOWED_ORIGINS: ['https://a.example'],
    });
    expect(loadConfig({ PORT: '9100' }, dir).PORT).toBe(9100);
  });
});
