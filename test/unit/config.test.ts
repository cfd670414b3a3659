import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';

const cwd = () => mkdtempSync(join(tmpdir(), 'docbridge-config-'));

describe('configuration', () => {
  it('defaults to local mode on loopback with SQLite under ./data', () => {
    const dir = cwd();
    const config = loadConfig({}, dir);
    expect(config).toMatchObject({
      PORT: 8080,
      host: '127.0.0.1',
      localMode: true,
      dataDir: join(dir, 'data'),
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
  });

  it('never opens an unauthenticated server on a public interface', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0' }, cwd())).toThrow(/^HOST: expected a loopback address/);
    expect(loadConfig({ HOST: '0.0.0.0', DOCBRIDGE_JWT_SECRET: 'x'.repeat(32) }, cwd()).host).toBe('0.0.0.0');
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
