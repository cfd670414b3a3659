import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRawSession } from '../helpers/rawSession.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

// Finding 6 (2026-12): no limits on bodies, documents per socket, sockets per user, named versions.
const BODY = 4096;
let server: ServerProcess;

beforeAll(async () => {
  server = await startServerProcess({
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    DOCBRIDGE_MAX_BODY_BYTES: String(BODY),
    DOCBRIDGE_MAX_DOCUMENTS_PER_CONNECTION: '2',
    DOCBRIDGE_MAX_CONNECTIONS_PER_USER: '2',
    DOCBRIDGE_MAX_NAMED_VERSIONS: '2',
  });
});
afterAll(() => server.stop());

const bearer = async (claims: Parameters<typeof portalToken>[0]) => `Bearer ${await portalToken(claims)}`;

/** POSTs `size` bytes with chunked transfer encoding (no Content-Length to refuse up front). */
function chunkedPost(path: string, size: number, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      { method: 'POST', headers: { authorization, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    for (let sent = 0; sent < size; sent += 1024) req.write('x'.repeat(1024));
    req.end();
  });
}

describe('finding 6: limits everywhere, each with a clear refusal', () => {
  it('refuses a body over the limit on every route with 413', async () => {
    const auth = await bearer({ docs: { 'dept-a/*': 'edit' }, admin: true });
    const big = JSON.stringify({ title: 'x'.repeat(BODY * 2) });
    for (const path of [
      '/api/documents',
      '/api/credentials',
      '/api/links',
      '/api/revocations',
      '/hooks/google',
    ]) {
      const answer = await fetch(`${server.url}${path}`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: big,
      });
      expect(answer.status, path).toBe(413);
      expect(await answer.json()).toMatchObject({ error: 'body-too-large' });
    }
    expect(await chunkedPost('/api/documents', BODY * 4, auth)).toBe(413);
    // Under the limit, the same route works.
    const small = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'small' }),
    });
    expect(small.status).toBe(201);
  });

  it('caps documents per connection', async () => {
    const token = await portalToken({ sub: `docs-${randomUUID()}`, docs: { 'dept-a/*': 'edit' } });
    const session = await openRawSession(server.wsUrl, 'dept-a/cap-1', token);
    await session.authenticate('dept-a/cap-2', token);
    await expect(session.authenticate('dept-a/cap-3', token)).rejects.toThrow('too-many-documents');
    expect(session.open()).toBe(true);
    session.ws.close();
  });

  it('caps connections per user', async () => {
    const token = await portalToken({ sub: `conns-${randomUUID()}`, docs: { 'dept-a/*': 'edit' } });
    const first = await openRawSession(server.wsUrl, 'dept-a/user-cap', token);
    const second = await openRawSession(server.wsUrl, 'dept-a/user-cap', token);
    await expect(openRawSession(server.wsUrl, 'dept-a/user-cap', token)).rejects.toThrow(
      'too-many-connections',
    );
    // Another user is not affected, and a freed slot can be used again.
    const other = await openRawSession(
      server.wsUrl,
      'dept-a/user-cap',
      await portalToken({ sub: `other-${randomUUID()}`, docs: { 'dept-a/*': 'edit' } }),
    );
    first.ws.close();
    await first.closed;
    const again = await openRawSession(server.wsUrl, 'dept-a/user-cap', token);
    for (const s of [second, other, again]) s.ws.close();
  });

  it('caps named versions per document with 409 too-many-versions', async () => {
    const auth = await bearer({ docs: { 'dept-a/*': 'edit' } });
    const save = (name: string) =>
      fetch(`${server.url}/api/documents/dept-a/versioned/versions`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      });
    expect((await save('one')).status).toBe(201);
    expect((await save('two')).status).toBe(201);
    const third = await save('three');
    expect(third.status).toBe(409);
    expect(await third.json()).toMatchObject({ error: 'too-many-versions' });
  });
});
