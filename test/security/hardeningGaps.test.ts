import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, statusOf, upgradeRequest } from '../helpers/rawHttp.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { TEST_SECRET } from '../helpers/tokens.ts';

// Finding 7 (2026-12): hardening gaps in configuration and headers.
let portal: ServerProcess;
let local: ServerProcess;

beforeAll(async () => {
  [portal, local] = await Promise.all([
    startServerProcess({
      DOCBRIDGE_DATA_DIR: tempDataDir(),
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      DOCBRIDGE_PUBLIC_URL: 'https://docbridge.example.gov.uk',
    }),
    startServerProcess({ DOCBRIDGE_DATA_DIR: tempDataDir() }),
  ]);
});
afterAll(async () => {
  await Promise.all([portal?.stop(), local?.stop()]);
});

describe('finding 7: hardening gaps', () => {
  it('outside local mode, refuses to start without a master key and writes no key file', async () => {
    const dataDir = tempDataDir();
    await expect(
      startServerProcess({
        DOCBRIDGE_DATA_DIR: dataDir,
        DOCBRIDGE_JWT_SECRET: TEST_SECRET,
        DOCBRIDGE_MASTER_KEY: '',
      }),
    ).rejects.toThrow(/DOCBRIDGE_MASTER_KEY: expected a key/);
    expect(existsSync(join(dataDir, 'master.key'))).toBe(false);
  });

  it('refuses a JWKS URL over plain http to a remote host', async () => {
    await expect(
      startServerProcess({
        DOCBRIDGE_DATA_DIR: tempDataDir(),
        DOCBRIDGE_JWKS_URL: 'http://idp.example/jwks',
        DOCBRIDGE_JWT_ISSUER: 'idp',
        DOCBRIDGE_JWT_AUDIENCE: 'docbridge',
      }),
    ).rejects.toThrow(/DOCBRIDGE_JWKS_URL: expected an https URL/);
  });

  it('sends HSTS when the public URL is https, and not otherwise', async () => {
    const secure = await fetch(`${portal.url}/healthz`);
    expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect((await fetch(`${local.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
  });

  it('trusts localhost origins only in local mode', async () => {
    const fromLocalhost = (server: ServerProcess) =>
      rawRequest(server.port, upgradeRequest('/collab', { Origin: `http://localhost:${server.port}` }));
    expect(statusOf(await fromLocalhost(portal))).toBe(403);
    expect(statusOf(await fromLocalhost(local))).toBe(101);
    // The portal server's own (public) origin is still allowed.
    expect(
      statusOf(
        await rawRequest(
          portal.port,
          upgradeRequest('/collab', { Origin: 'https://docbridge.example.gov.uk' }),
        ),
      ),
    ).toBe(101);
    const api = await fetch(`${portal.url}/api/session`, {
      headers: { origin: `http://127.0.0.1:${portal.port}` },
    });
    expect(api.status).toBe(403);
  });
});
