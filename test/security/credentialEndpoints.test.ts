import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officialHosts } from '../../connectors/google/credentials.ts';
import { toRemoteError } from '../../connectors/google/googleErrors.ts';
import { RemoteError } from '../../connectors/sync/remoteErrors.ts';
import { endpointPolicy, isInternalAddress, parseAllowedHosts } from '../../server/admin/endpointPolicy.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

/** What an internal service would answer: text that must never reach the admin who aimed at it. */
const INTERNAL_SECRET = 'ami-id: i-0123 instance-secret-XYZZY';

describe('the endpoint policy (finding: credentials could point at internal addresses)', () => {
  const resolver = (table: Record<string, string[]>) => async (host: string) => {
    const addresses = table[host];
    if (!addresses) throw new Error('ENOTFOUND');
    return addresses;
  };

  it('accepts the official hosts over https only, on the default port', async () => {
    const policy = endpointPolicy(officialHosts, [], resolver({}));
    await expect(policy.check('https://oauth2.googleapis.com/token', 'token')).resolves.toBeUndefined();
    await expect(policy.check('http://oauth2.googleapis.com/token', 'token')).rejects.toThrow(/not one of/);
    await expect(policy.check('https://oauth2.googleapis.com:8443/token', 'token')).rejects.toThrow();
    await expect(policy.check('https://user:pw@docs.googleapis.com/', 'docs')).rejects.toThrow(/credentials/);
    await expect(policy.check('file:///etc/passwd', 'token')).rejects.toThrow(/http/);
  });

  it('refuses cloud metadata, loopback and unlisted hosts', async () => {
    const policy = endpointPolicy(officialHosts, [], resolver({ 'evil.example': ['203.0.113.9'] }));
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://127.0.0.1:6379/',
      'http://[::1]:5432/',
      'https://evil.example/token',
      'https://docs.googleapis.com.evil.example/',
    ])
      await expect(policy.check(url, 'endpoints.token'), url).rejects.toMatchObject({
        code: 'ENDPOINT_NOT_ALLOWED',
      });
  });

  it('accepts listed hosts, with the listed port only, and refuses listed names that resolve inside', async () => {
    const extra = parseAllowedHosts([
      'gateway.gov.example',
      'sneaky.example',
      '127.0.0.1:9000',
      'inside.example',
    ]);
    const policy = endpointPolicy(
      officialHosts,
      [...extra, ...parseAllowedHosts(['10.1.2.3'])],
      resolver({
        'gateway.gov.example': ['198.51.100.7'],
        'sneaky.example': ['169.254.169.254'],
        'inside.example': ['10.1.2.3'],
      }),
    );
    await expect(policy.check('https://gateway.gov.example:8443/token', 't')).resolves.toBeUndefined();
    await expect(policy.check('http://127.0.0.1:9000/token', 't')).resolves.toBeUndefined();
    await expect(policy.check('http://127.0.0.1:9001/token', 't')).rejects.toThrow(/not one of/);
    await expect(policy.check('https://sneaky.example/token', 't')).rejects.toThrow(/internal address/);
    // The operator listed the private address itself: an explicit choice.
    await expect(policy.check('https://inside.example/token', 't')).resolves.toBeUndefined();
  });

  it('classifies internal addresses, including IPv4-mapped IPv6', () => {
    for (const a of [
      '127.0.0.1',
      '10.0.0.1',
      '172.20.1.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '0.0.0.0',
    ])
      expect(isInternalAddress(a), a).toBe(true);
    for (const a of ['8.8.8.8', '142.250.1.1', '2001:4860::1']) expect(isInternalAddress(a), a).toBe(false);
  });

  it('refuses a malformed DOCBRIDGE_EXTRA_ENDPOINT_HOSTS entry', () => {
    expect(() => parseAllowedHosts(['https://x.example/path'])).toThrow();
    expect(parseAllowedHosts(['[::1]:80', 'Gateway.Example'])).toEqual([
      { host: '::1', port: 80 },
      { host: 'gateway.example', port: null },
    ]);
  });
});

describe('remote failures in the engine terms (finding: remote error text reached admins)', () => {
  it("keeps only the call, the HTTP status and Google's canonical status word", () => {
    const failure = (status: number | undefined, data: unknown, code?: string) =>
      toRemoteError({ response: status === undefined ? undefined : { status, data }, code }, 'documents.get');
    const leaky = { error: { status: 'NOT_FOUND', message: INTERNAL_SECRET, errors: [{ reason: 'x' }] } };
    expect(failure(404, leaky)).toMatchObject({
      code: 'REMOTE_NOT_FOUND',
      message: 'documents.get failed: HTTP 404 NOT_FOUND',
    });
    const invented = { error: { status: INTERNAL_SECRET, message: INTERNAL_SECRET } };
    expect(failure(400, invented).message).toBe('documents.get failed: HTTP 400');
    expect(failure(undefined, null, 'ECONNREFUSED').message).toBe(
      'documents.get failed: no answer (ECONNREFUSED)',
    );
    expect(failure(undefined, null, INTERNAL_SECRET).message).toBe('documents.get failed: no answer');
    expect(new RemoteError('REMOTE_REJECTED', 'x'.repeat(5000)).message.length).toBe(200);
  });
});

describe('credentials against a running server', () => {
  let server: ServerProcess;
  let internal: Server;
  let internalUrl: string;
  let adminToken: string;

  beforeAll(async () => {
    // An "internal service" that answers every request with an error carrying its secrets.
    internal = createServer((req, res) => {
      req.resume();
      res.writeHead(req.url?.startsWith('/token') ? 400 : 500, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          error: INTERNAL_SECRET,
          error_description: INTERNAL_SECRET,
          message: INTERNAL_SECRET,
        }),
      );
    });
    await new Promise<void>((resolve) => internal.listen(0, '127.0.0.1', resolve));
    internalUrl = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;
    server = await startServerProcess({
      DOCBRIDGE_DATA_DIR: tempDataDir(),
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      // Only this one loopback port is listed (the test plays an operator who allowed a private gateway).
      DOCBRIDGE_EXTRA_ENDPOINT_HOSTS: `${new URL(internalUrl).host},localhost`,
    });
    adminToken = await portalToken({ sub: 'admin-1', admin: true, docs: { 'dept-a/*': 'edit' } });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => internal?.close(resolve));
  });

  const api = async (path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };
  const oauthCredential = (endpoints: Record<string, string>) => ({
    provider: 'google',
    name: 'Probe',
    oauth: { clientId: 'c', clientSecret: 's', refreshToken: 'r' },
    endpoints,
  });

  it('refuses endpoints off the allowlist with 400 endpoint-not-allowed', async () => {
    for (const endpoints of <Record<string, string>[]>[
      { token: 'http://169.254.169.254/computeMetadata/v1/' },
      { docs: 'http://127.0.0.1:6379/' },
      // listed by name, but the name resolves to loopback and 127.0.0.1:6379 is not listed
      { drive: 'http://localhost:6379/' },
    ]) {
      const answer = await api('/api/credentials', oauthCredential(endpoints));
      expect(answer.status, JSON.stringify(endpoints)).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ error: 'endpoint-not-allowed' });
    }
    const listed = await api('/api/credentials', {
      provider: 'google',
      name: 'Key with a foreign token_uri',
      serviceAccountKey: {
        type: 'service_account',
        client_email: 'a@b.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n',
        token_uri: 'http://169.254.169.254/token',
      },
      endpoints: { docs: internalUrl, drive: internalUrl, token: `${internalUrl}/token` },
    });
    expect(listed.status).toBe(400);
    expect(listed.text).toContain('token_uri');
  });

  it('never echoes what an allowed endpoint answers: verify and link creation get a code and a generic message', async () => {
    const created = await api(
      '/api/credentials',
      oauthCredential({ docs: internalUrl, drive: internalUrl, token: `${internalUrl}/token` }),
    );
    expect(created.status).toBe(201);
    const { id } = JSON.parse(created.text) as { id: string };

    const verified = await api(`/api/credentials/${id}/verify`, {});
    expect(verified.status).toBe(200);
    expect(JSON.parse(verified.text)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^REMOTE_AUTH_FAILED: /),
    });
    expect(verified.text).not.toContain('XYZZY');
    const listed = await api('/api/credentials');
    expect(listed.text).not.toContain('XYZZY');

    const link = await api('/api/links', {
      doc: 'dept-a/probe-endpoints',
      credential: id,
      fileId: '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg',
    });
    expect(link.status).toBe(502);
    expect(JSON.parse(link.text)).toMatchObject({ error: 'remote-unreachable', code: 'REMOTE_AUTH_FAILED' });
    expect(link.text).not.toContain('XYZZY');
    expect(link.text.length).toBeLessThan(400);
  });
});
