import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceAccount } from '../helpers/googleCredentials.ts';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from '../helpers/googleEmulatorProcess.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';

const bin = fileURLToPath(new URL('../../bin/docbridge.js', import.meta.url));
const SERVICE_ACCOUNT = 'docbridge-cli@dept-a-project.iam.gserviceaccount.com';

let emulator: GoogleEmulatorProcess;
let server: ServerProcess;
let token: string;
let privateKey: string;
let keyFile: string;
const work = mkdtempSync(path.join(tmpdir(), 'docbridge-cli-it-'));
const dataDir = tempDataDir();
/** Everything every CLI run printed, to check that no key material ever appears. */
const printed: string[] = [];

beforeAll(async () => {
  emulator = await startGoogleEmulatorProcess();
  const key = await createServiceAccount(emulator, SERVICE_ACCOUNT);
  privateKey = key.private_key;
  keyFile = path.join(work, 'key.json');
  writeFileSync(keyFile, JSON.stringify(key));
  server = await startServerProcess({ DOCBRIDGE_DATA_DIR: dataDir, DOCBRIDGE_JWT_SECRET: TEST_SECRET });
  token = await portalToken({ sub: 'admin-cli', admin: true, docs: { 'dept-a/*': 'edit' } });
});
afterAll(async () => {
  await server?.stop();
  await emulator?.stop();
  rmSync(work, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs the real executable as a child process, with the token in its environment only. */
async function cli(args: string[], env: Record<string, string> = { DOCBRIDGE_TOKEN: token }) {
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? '', DOCBRIDGE_URL: server.url, ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
  printed.push(result.stdout, result.stderr);
  return result;
}

async function api<T>(pathname: string): Promise<T> {
  const res = await fetch(`${server.url}${pathname}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status, pathname).toBe(200);
  return (await res.json()) as T;
}

/** Polls `check` every 100 ms until it holds, at most 20 s. */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not reached');
}

const endpointArgs = () => [
  '--endpoints-docs',
  emulator.url,
  '--endpoints-drive',
  emulator.url,
  '--endpoints-token',
  emulator.tokenUrl,
];

describe('docbridge admin commands against a real server and the Google emulator', () => {
  let credentialId = '';
  let linkId = '';
  let googleId = '';

  it('adds a credential from a key file and lists it', async () => {
    const added = await cli([
      'credentials',
      'add',
      'google',
      '--key-file',
      keyFile,
      '--name',
      'Policy unit',
      ...endpointArgs(),
      '--json',
    ]);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    const created = JSON.parse(added.stdout) as { id: string; fingerprint: string };
    credentialId = created.id;

    const stored = await api<{
      credentials: { id: string; name: string; fingerprint: string; metadata: object }[];
    }>('/api/credentials');
    expect(stored.credentials).toEqual([
      expect.objectContaining({
        id: credentialId,
        name: 'Policy unit',
        fingerprint: created.fingerprint,
        metadata: expect.objectContaining({ clientEmail: SERVICE_ACCOUNT, endpoints: expect.any(Object) }),
      }),
    ]);
    const verified = await fetch(`${server.url}/api/credentials/${credentialId}/verify`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(await verified.json(), 'the emulator accepts the key the CLI uploaded').toEqual({ ok: true });

    const listed = await cli(['credentials', 'list']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`${credentialId} +google +Policy unit +${SERVICE_ACCOUNT}`));
  });

  it('links a document with the only credential, shows it, resyncs and unlinks it', async () => {
    googleId = (
      await emulator.control<{ documentId: string }>('/control/documents', {
        title: 'CLI',
        owner: SERVICE_ACCOUNT,
        requests: [{ insertText: { location: { index: 1 }, text: 'From Google' } }],
      })
    ).documentId;
    const linked = await cli(['link', 'dept-a/cli', `https://docs.google.com/document/d/${googleId}/edit`]);
    expect(linked).toMatchObject({ code: 0, stderr: '' });
    linkId = /as link (\S+) /.exec(linked.stdout)?.[1] ?? '';
    type Links = { links: { id: string; credentialId: string; remoteId: string; status: string }[] };
    const afterLink = await api<Links>('/api/links?doc=dept-a/cli');
    expect(afterLink.links).toEqual([
      expect.objectContaining({ id: linkId, credentialId, remoteId: googleId }),
    ]);
    await until(async () => (await api<Links>('/api/links?doc=dept-a/cli')).links[0]?.status === 'synced');

    const shown = await cli(['links', 'dept-a/cli']);
    expect(shown.stdout).toMatch(
      new RegExp(
        `^${linkId} +synced +google +https://docs.google.com/document/d/${googleId}/edit +${credentialId} +\\d{4}-`,
        'm',
      ),
    );
    const json = JSON.parse((await cli(['links', 'dept-a/cli', '--json'])).stdout) as Links;
    expect(json.links.map((link) => link.id)).toEqual([linkId]);

    expect(await cli(['resync', linkId])).toMatchObject({ code: 0, stderr: '' });
    const audit = await api<{ entries: { action: string; actor: string; target: string }[] }>(
      '/api/audit?limit=100',
    );
    const byCli = audit.entries
      .filter((entry) => entry.actor === 'admin-cli')
      .map((e) => `${e.action} ${e.target}`);
    expect(byCli).toEqual(
      expect.arrayContaining([
        `credential.create ${credentialId}`,
        `link.create ${linkId}`,
        `link.resync ${linkId}`,
      ]),
    );

    expect(await cli(['unlink', linkId])).toMatchObject({ code: 0, stderr: '' });
    expect((await api<Links>('/api/links?doc=dept-a/cli')).links).toEqual([]);
  });

  it('fails with one line naming the API error, and exits non-zero', async () => {
    const gone = await cli(['unlink', linkId]);
    expect(gone).toMatchObject({ code: 1, stdout: '' });
    expect(gone.stderr).toBe('docbridge: error link-not-found: no such link in your tenant (HTTP 404)\n');

    const otherTenant = await cli(['link', 'dept-b/doc', googleId, '--credential', credentialId]);
    expect(otherTenant).toMatchObject({ code: 1 });
    expect(otherTenant.stderr).toMatch(/^docbridge: error document-not-in-tenant: .*\(HTTP 403\)\n$/);

    const notAdmin = await cli(['credentials', 'list'], {
      DOCBRIDGE_TOKEN: await portalToken({ sub: 'user-1', docs: { 'dept-a/*': 'edit' } }),
    });
    expect(notAdmin.stderr).toBe(
      'docbridge: error admin-required: DOCBRIDGE_TOKEN is not an administrator of its tenant (admin: true) (HTTP 403)\n',
    );
    const noToken = await cli(['credentials', 'list'], {});
    expect(noToken).toMatchObject({ code: 1 });
    expect(noToken.stderr).toMatch(/^docbridge: error TOKEN_MISSING: /);

    // A second credential: link can no longer guess, and says which ones there are.
    const second = await cli(['credentials', 'add', 'google', '--key-file', keyFile, ...endpointArgs()]);
    expect(second.code).toBe(0);
    const ambiguous = await cli(['link', 'dept-a/other', googleId]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(
      /^docbridge: error CREDENTIAL_REQUIRED: this tenant has 2 Google credentials/,
    );
    expect(ambiguous.stderr).toContain(credentialId);
    expect((await api<{ links: unknown[] }>('/api/links?doc=dept-a/other')).links).toEqual([]);
  });

  it('never prints the private key', () => {
    const body = privateKey.split('\n').filter((line) => line && !line.startsWith('-----'));
    expect(body.length).toBeGreaterThan(5);
    const all = printed.join('\n');
    expect(all).not.toContain('PRIVATE KEY');
    for (const line of body) expect(all).not.toContain(line);
  });
});

/** Runs the executable against a local-mode server, with only the data directory in its environment. */
function runLocal(port: number, dataDir: string, args: string[]) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [bin, ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          DOCBRIDGE_URL: `http://localhost:${port}`,
          DOCBRIDGE_DATA_DIR: dataDir,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('docbridge admin commands against a local-mode server', () => {
  it('mints its admin token from the local data directory when DOCBRIDGE_TOKEN is not set', async () => {
    const localData = tempDataDir();
    const local = await startServerProcess({ DOCBRIDGE_DATA_DIR: localData });
    try {
      const withData = await runLocal(local.port, localData, ['links', 'local/demo', '--json']);
      expect(withData.code, withData.stderr).toBe(0);
      expect(JSON.parse(withData.stdout)).toEqual({ links: [] });
      const elsewhere = await runLocal(local.port, tempDataDir(), ['links', 'local/demo']);
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.stderr).toMatch(/TOKEN_MISSING/);
    } finally {
      await local.stop();
    }
  });
});
