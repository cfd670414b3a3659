import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, type TestClient, waitFor } from '../helpers/clients.ts';
import { createTempDatabase, type TempDatabase } from '../helpers/postgres.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const REDIS_URL = process.env.DOCBRIDGE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Records the reason of the first close message the server sends for the client's document. */
function closeReason(client: TestClient): () => string | null {
  let reason: string | null = null;
  client.provider.on('close', ({ event }: { event?: { reason?: string } }) => {
    reason ??= event?.reason ?? 'closed';
  });
  return () => reason;
}

// Portal users (bearer tokens) of three tenants on two instances sharing PostgreSQL and Redis: shares are
// enforced by the server at socket authentication and on the API, roles below edit are read-only at the
// server, and withdrawing a share on one instance closes the sockets it granted on the other.
describe('sharing across tenants on two instances', () => {
  const servers: ServerProcess[] = [];
  const clients: TestClient[] = [];
  let db: TempDatabase;
  let one: ServerProcess;
  let two: ServerProcess;
  const tenantA = `a${randomUUID().slice(0, 6)}`;
  const tenantB = `b${randomUUID().slice(0, 6)}`;
  const tokens: Record<string, string> = {};

  const call = async (server: ServerProcess, who: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return {
      status: response.status,
      body: (await response.json().catch(() => null)) as Record<string, unknown>,
    };
  };
  const connect = (server: ServerProcess, who: string, doc: string) => {
    const client = connectClient(server.wsUrl, doc, tokens[who]!);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    db = await createTempDatabase();
    const env = { DATABASE_URL: db.url, REDIS_URL, DOCBRIDGE_JWT_SECRET: TEST_SECRET };
    [one, two] = await Promise.all([
      startServerProcess({ ...env, DOCBRIDGE_DATA_DIR: tempDataDir() }),
      startServerProcess({ ...env, DOCBRIDGE_DATA_DIR: tempDataDir() }),
    ]);
    servers.push(one, two);
    tokens.owner = await portalToken({ sub: 'owner', tenant: tenantA, docs: { [`${tenantA}/*`]: 'edit' } });
    tokens.colleague = await portalToken({
      sub: 'colleague',
      tenant: tenantA,
      docs: { [`${tenantA}/*`]: 'edit' },
    });
    tokens.bea = await portalToken({ sub: 'bea', tenant: tenantB, docs: {}, admin: true });
    tokens.cy = await portalToken({ sub: 'cy', tenant: 'dept-c', email: 'Cy@Example.org', docs: {} });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    for (const server of servers) await server.stop();
    await db?.drop();
  });

  it('grants, enforces, audits and withdraws a share; the withdrawn socket closes on the other instance', async () => {
    const created = await call(one, 'owner', 'POST', '/api/documents', { title: 'Joint plan' });
    expect(created.status).toBe(201);
    const doc = String(created.body.name);
    const owner = connect(one, 'owner', doc);
    await owner.synced;
    owner.text.insert(0, 'Owner text.');
    await owner.saved();

    // Before any share, another tenant is refused at the socket and on the API.
    await expect(connect(two, 'bea', doc).synced).rejects.toThrow('document-not-granted');
    expect((await call(two, 'bea', 'GET', `/api/documents/${doc}`)).status).toBe(403);
    // Only the owner (or an admin of the owning tenant) shares; a colleague with edit may not.
    const refused = await call(one, 'colleague', 'POST', `/api/documents/${doc}/shares`, {
      with: { tenant: tenantB },
      role: 'edit',
    });
    expect(refused.status).toBe(403);
    const invalid = await call(one, 'owner', 'POST', `/api/documents/${doc}/shares`, {
      with: {},
      role: 'edit',
    });
    expect(invalid.status).toBe(400);

    const share = await call(one, 'owner', 'POST', `/api/documents/${doc}/shares`, {
      with: { tenant: tenantB },
      role: 'read',
    });
    expect(share.status).toBe(201);
    const reader = connect(two, 'bea', doc);
    await reader.synced;
    await waitFor(() => reader.text.toString() === 'Owner text.', 'the shared text on the reader');
    // A read share is read-only at the server: the reader's local edit reaches nobody.
    reader.text.insert(0, 'Reader vandalism. ');
    owner.text.insert(owner.text.length, ' More.');
    await waitFor(() => reader.text.toString().endsWith('More.'), 'the owner’s edit on the reader');
    expect(owner.text.toString()).toBe('Owner text. More.');

    // Raising the role re-checks open sockets: the read-only one is closed, a new one edits.
    const readerClosed = closeReason(reader);
    const again = await call(one, 'owner', 'POST', `/api/documents/${doc}/shares`, {
      with: { tenant: tenantB },
      role: 'edit',
    });
    expect(again.body.id).toBe(share.body.id);
    await waitFor(
      () => readerClosed() !== null,
      'the read-only socket closed after the role changed',
      10_000,
    );
    const editor = connect(two, 'bea', doc);
    await editor.synced;
    editor.text.insert(editor.text.length, ' Edited by B.');
    await waitFor(() => owner.text.toString().endsWith('Edited by B.'), 'B’s edit on the owner');
    const shared = await call(two, 'bea', 'GET', '/api/documents/shared');
    expect(shared.body.documents).toEqual([{ name: doc, title: 'Joint plan', role: 'edit', owner: tenantA }]);

    // A share with a person reaches that person, matched by e-mail whatever its case.
    await call(one, 'owner', 'POST', `/api/documents/${doc}/shares`, {
      with: { user: 'cy@example.org' },
      role: 'comment',
    });
    expect((await call(two, 'cy', 'GET', '/api/documents/shared')).body.documents).toEqual([
      { name: doc, title: 'Joint plan', role: 'comment', owner: tenantA },
    ]);

    const editorClosed = closeReason(editor);
    const withdrawnAt = Date.now();
    expect((await call(one, 'owner', 'DELETE', `/api/documents/${doc}/shares/${share.body.id}`)).status).toBe(
      200,
    );
    await waitFor(() => editorClosed() !== null, 'the withdrawn socket closed on the other instance', 10_000);
    console.log(
      `share withdrawal closed a socket on the other instance after ${Date.now() - withdrawnAt} ms`,
    );
    expect(editorClosed()).toBe('access-withdrawn');
    expect((await call(two, 'bea', 'GET', `/api/documents/${doc}`)).status).toBe(403);
    await expect(connect(two, 'bea', doc).synced).rejects.toThrow('document-not-granted');
    // The owner's own socket is untouched.
    owner.text.insert(owner.text.length, ' Still here.');
    await owner.saved();

    // Both tenants' audit logs record the grant, its use and its withdrawal.
    const actions = async (who: string) =>
      ((await call(one, who, 'GET', '/api/audit?limit=100')).body.entries as { action: string }[]).map(
        (e) => e.action,
      );
    tokens.ownerAdmin = await portalToken({ sub: 'admin-a', tenant: tenantA, docs: {}, admin: true });
    for (const who of ['ownerAdmin', 'bea']) {
      expect(await actions(who)).toEqual(
        expect.arrayContaining(['share.grant', 'share.use', 'share.withdraw']),
      );
    }
  });
});
