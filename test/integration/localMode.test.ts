import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, waitFor } from '../helpers/clients.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';

let server: ServerProcess;
const dataDir = tempDataDir();

beforeAll(async () => {
  server = await startServerProcess({ DOCBRIDGE_DATA_DIR: dataDir });
  // The link is printed to the terminal right after the listening log line.
  await waitFor(() => server.output().includes('/signin?code='), 'the sign-in link');
});
afterAll(() => server.stop());

const signInLink = () => {
  const match = /(http:\/\/localhost:\d+\/signin\?code=[\w-]+)/.exec(server.output());
  if (!match) throw new Error('no sign-in link printed');
  return match[1]!;
};

describe('npm start with no JWT settings (local mode)', () => {
  it('listens on loopback only and prints a sign-in link', () => {
    expect(server.output()).toContain('"host":"127.0.0.1"');
    expect(signInLink()).toContain(`:${server.port}/signin?code=`);
  });

  it('exchanges the link for an HttpOnly cookie, then for a socket token that opens the demo document', async () => {
    const link = new URL(signInLink());
    const signIn = await fetch(`${server.url}${link.pathname}${link.search}`, { redirect: 'manual' });
    expect(signIn.status).toBe(303);
    expect(signIn.headers.get('location')).toBe('/');
    const cookie = signIn.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^docbridge_session=[^;]+;.*HttpOnly/);
    expect(cookie).toContain('SameSite=Lax');

    const session = await fetch(`${server.url}/api/session`, { headers: { cookie: cookie.split(';')[0]! } });
    const signedIn = (await session.json()) as { csrfToken: string };
    expect(signedIn).toMatchObject({ user: { tenant: 'local', admin: true } });

    const headers = { cookie: cookie.split(';')[0]!, origin: `http://localhost:${server.port}` };
    const withoutCsrf = await fetch(`${server.url}/api/session/token`, { method: 'POST', headers });
    expect(withoutCsrf.status).toBe(403);
    expect(await withoutCsrf.json()).toMatchObject({ error: 'csrf-token-invalid' });
    const minted = await fetch(`${server.url}/api/session/token`, {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': signedIn.csrfToken },
    });
    const { token } = (await minted.json()) as { token: string };
    const client = connectClient(server.wsUrl, 'local/demo', token);
    await client.synced;
    const fragment = client.doc.getXmlFragment('default');
    expect(fragment.toString()).toContain('Welcome to Docbridge');
    expect(fragment.get(0)).toBeInstanceOf(Y.XmlElement);
    client.destroy();
  });

  it('refuses a wrong sign-in code and API calls without a session', async () => {
    expect((await fetch(`${server.url}/signin?code=guess`)).status).toBe(403);
    const res = await fetch(`${server.url}/api/session`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'token-missing' });
  });

  it('keeps the generated secret private and out of the log', () => {
    const secret = readFileSync(join(dataDir, 'local-secret'), 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(48);
    const jsonLog = server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .join('\n');
    expect(jsonLog).not.toContain(secret);
    expect(jsonLog).not.toContain(new URL(signInLink()).searchParams.get('code'));
  });
});
