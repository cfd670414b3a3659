import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../bin/commands/io.ts';
import { main } from '../../../bin/docbridge.ts';

const work = mkdtempSync(path.join(tmpdir(), 'docbridge-cli-admin-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const PRIVATE_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecretsecret';
const key = {
  type: 'service_account',
  project_id: 'p',
  private_key_id: 'k1',
  private_key: `-----BEGIN PRIVATE KEY-----\n${PRIVATE_BODY}\n-----END PRIVATE KEY-----\n`,
  client_email: 'sync@p.iam.gserviceaccount.com',
};
const keyFile = path.join(work, 'key.json');
writeFileSync(keyFile, JSON.stringify(key));

interface Call {
  method: string;
  url: string;
  authorization: string | null;
  body: unknown;
}
type Handler = (call: Call) => { status: number; body: unknown };

const credential = (id: string, name: string) => ({
  id,
  tenant: 'dept-a',
  provider: 'google',
  name,
  fingerprint: `fp-${id}`,
  keyId: 'k',
  metadata: { kind: 'serviceAccount', clientEmail: `${id}@p.iam.gserviceaccount.com` },
  createdAt: 0,
  createdBy: 'admin-1',
  verifiedAt: null,
  lastError: null,
});

/** Runs the CLI in-process against a fake server; returns exit code, output and the requests it sent. */
async function run(
  argv: string[],
  handler: Handler,
  env: Record<string, string> = { DOCBRIDGE_TOKEN: 'tok' },
) {
  const out: Uint8Array[] = [];
  const stderr: string[] = [];
  const calls: Call[] = [];
  const io: CliIo = {
    readStdin: async () => new Uint8Array(),
    writeStdout: async (bytes) => {
      out.push(bytes);
    },
    warn: (line) => stderr.push(line),
    env,
    fetch: async (input, init) => {
      const call: Call = {
        method: init?.method ?? 'GET',
        url: String(input),
        authorization: new Headers(init?.headers).get('authorization'),
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      calls.push(call);
      const answer = handler(call);
      return new Response(JSON.stringify(answer.body), { status: answer.status });
    },
  };
  const code = await main(argv, io);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr, calls };
}

const never: Handler = () => {
  throw new Error('no request expected');
};

describe('docbridge admin commands', () => {
  it('credentials add reads the key file, sends it once with the token, and never prints it', async () => {
    const result = await run(
      [
        'credentials',
        'add',
        'google',
        '--key-file',
        keyFile,
        '--subject',
        'robot@dept-a.example',
        '--endpoints-docs',
        'http://127.0.0.1:9/',
      ],
      () => ({ status: 201, body: { id: 'c1', fingerprint: 'ab:cd' } }),
    );
    expect(result).toMatchObject({ code: 0, stderr: [] });
    expect(result.calls).toEqual([
      {
        method: 'POST',
        url: 'http://localhost:8080/api/credentials',
        authorization: 'Bearer tok',
        body: {
          provider: 'google',
          name: key.client_email,
          serviceAccountKey: key,
          subject: 'robot@dept-a.example',
          endpoints: { docs: 'http://127.0.0.1:9/' },
        },
      },
    ]);
    expect(result.stdout).toContain('Added Google credential c1');
    expect(result.stdout).toContain('ab:cd');
    expect(result.stdout).not.toContain(PRIVATE_BODY);

    const json = await run(
      ['credentials', 'add', 'google', '--key-file', keyFile, '--name', 'N', '--json'],
      () => ({
        status: 201,
        body: { id: 'c2', fingerprint: 'ef' },
      }),
    );
    expect(JSON.parse(json.stdout)).toEqual({ id: 'c2', fingerprint: 'ef' });
  });

  it('refuses a bad key file by what is wrong with it, without echoing its content', async () => {
    const notJson = path.join(work, 'broken.json');
    writeFileSync(notJson, `{"private_key": "${PRIVATE_BODY}`);
    const wrongShape = path.join(work, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify({ ...key, type: 'authorized_user' }));
    const cases: [string, RegExp][] = [
      [notJson, /^error KEY_FILE_INVALID: .*broken\.json is not JSON/],
      [wrongShape, /^error KEY_FILE_INVALID: .*shape\.json is not a Google service account key \(type: /],
      [
        path.join(work, 'missing.json'),
        /^error KEY_FILE_UNREADABLE: cannot read .*missing\.json \(ENOENT\)$/,
      ],
    ];
    for (const [file, line] of cases) {
      const result = await run(['credentials', 'add', 'google', '--key-file', file], never);
      expect(result.code, file).toBe(1);
      expect(result.stderr).toHaveLength(1);
      expect(result.stderr[0]).toMatch(line);
      expect(result.stderr[0]).not.toContain('secret');
    }
  });

  it('takes the token from DOCBRIDGE_TOKEN only, and the server from --server, DOCBRIDGE_URL or the default', async () => {
    const missing = await run(['links', 'dept-a/x'], never, {});
    expect(missing).toMatchObject({ code: 1, calls: [] });
    expect(missing.stderr[0]).toMatch(/^error TOKEN_MISSING: set DOCBRIDGE_TOKEN/);

    for (const argv of [
      ['links', 'dept-a/x', '--token', 'secret-token'],
      ['unlink', 'l1', '--token=secret-token'],
    ]) {
      const refused = await run(argv, never);
      expect(refused).toMatchObject({ code: 2, calls: [] });
      expect(refused.stderr[0]).toMatch(/^error: the token is never taken from the command line/);
    }

    const ok: Handler = () => ({ status: 200, body: { links: [] } });
    const env = { DOCBRIDGE_TOKEN: 'tok', DOCBRIDGE_URL: 'https://db.example/' };
    expect((await run(['links', 'dept-a/x'], ok, env)).calls[0]?.url).toBe(
      'https://db.example/api/links?doc=dept-a%2Fx',
    );
    expect((await run(['links', 'dept-a/x', '--server', 'http://127.0.0.1:7/'], ok, env)).calls[0]?.url).toBe(
      'http://127.0.0.1:7/api/links?doc=dept-a%2Fx',
    );
    const bad = await run(['links', 'dept-a/x', '--server', 'ftp://x'], never);
    expect(bad).toMatchObject({ code: 2, stderr: ['error: the server URL must be http or https: ftp://x'] });
  });

  it('link uses the only Google credential, and lists the choices when there is not exactly one', async () => {
    const withCredentials =
      (...credentials: ReturnType<typeof credential>[]): Handler =>
      (call) =>
        call.method === 'GET'
          ? { status: 200, body: { credentials } }
          : { status: 201, body: { id: 'l1', status: 'linking' } };
    const one = await run(
      ['link', 'dept-a/doc', 'https://docs.google.com/document/d/abc/edit', '--initial', 'merge'],
      withCredentials(credential('c1', 'Policy')),
    );
    expect(one.code).toBe(0);
    expect(one.calls[1]).toMatchObject({
      method: 'POST',
      url: 'http://localhost:8080/api/links',
      body: {
        doc: 'dept-a/doc',
        credential: 'c1',
        url: 'https://docs.google.com/document/d/abc/edit',
        initial: 'merge',
      },
    });
    expect(one.stdout).toContain('as link l1 (status linking, credential c1)');

    const byId = await run(['link', 'dept-a/doc', 'abc', '--credential', 'c9', '--json'], withCredentials());
    expect(byId.calls).toHaveLength(1);
    expect(byId.calls[0]?.body).toEqual({ doc: 'dept-a/doc', credential: 'c9', fileId: 'abc' });
    expect(JSON.parse(byId.stdout)).toEqual({
      id: 'l1',
      status: 'linking',
      doc: 'dept-a/doc',
      credential: 'c9',
    });

    const two = await run(
      ['link', 'dept-a/doc', 'abc'],
      withCredentials(credential('c1', 'Policy'), credential('c2', 'Press')),
    );
    expect(two).toMatchObject({ code: 1, stdout: '' });
    expect(two.calls).toHaveLength(1);
    expect(two.stderr).toEqual([
      'error CREDENTIAL_REQUIRED: this tenant has 2 Google credentials, choose one with --credential: ' +
        'c1 (Policy, c1@p.iam.gserviceaccount.com); c2 (Press, c2@p.iam.gserviceaccount.com)',
    ]);

    const none = await run(['link', 'dept-a/doc', 'abc'], withCredentials());
    // A bare id any suite might own: every suite's add command is offered.
    expect(none.stderr[0]).toMatch(
      /^error CREDENTIAL_REQUIRED: this tenant has no credential: add one with docbridge credentials add google .* or docbridge credentials add microsoft /,
    );
    const noMicrosoft = await run(
      ['link', 'dept-a/doc', 'https://contoso.sharepoint.com/:w:/s/Policy/EaBc?e=1'],
      withCredentials(),
    );
    expect(noMicrosoft.stderr[0]).toMatch(
      /^error CREDENTIAL_REQUIRED: this tenant has no Microsoft credential/,
    );

    const badMode = await run(['link', 'dept-a/doc', 'abc', '--initial', 'mine'], never);
    expect(badMode).toMatchObject({
      code: 2,
      stderr: ['error: --initial must be remote, local or merge, not "mine"'],
    });
  });

  it('reports an API refusal as one line with its code and message, and exits 1', async () => {
    const notFound = await run(['unlink', 'a/b'], () => ({
      status: 404,
      body: { error: 'link-not-found' },
    }));
    expect(notFound.calls[0]).toMatchObject({
      method: 'DELETE',
      url: 'http://localhost:8080/api/links/a%2Fb',
    });
    expect(notFound).toMatchObject({
      code: 1,
      stdout: '',
      stderr: ['error link-not-found: no such link in your tenant (HTTP 404)'],
    });

    const inUse = await run(['resync', 'l1'], () => ({
      status: 409,
      body: { error: 'credential-in-use', message: 'credential c1 is used by 2 link(s)' },
    }));
    expect(inUse.stderr).toEqual(['error credential-in-use: credential c1 is used by 2 link(s) (HTTP 409)']);

    const odd = await run(['resync', 'l1'], () => ({ status: 200, body: { fine: 'yes' } }));
    expect(odd).toMatchObject({ code: 1, stderr: [expect.stringMatching(/^error UNEXPECTED_RESPONSE: /)] });
  });

  it('prints tables for people and the API answer for scripts', async () => {
    const links = {
      links: [
        {
          id: 'l1',
          doc: 'dept-a/doc',
          credentialId: 'c1',
          provider: 'google',
          remoteId: 'abc',
          remoteUrl: null,
          status: 'error',
          lastError: 'quota\nexceeded',
          lastSyncedAt: Date.UTC(2027, 0, 2, 3, 4, 5),
        },
      ],
    };
    const table = await run(['links', 'dept-a/doc'], () => ({ status: 200, body: links }));
    expect(table.stdout.split('\n')).toEqual([
      'ID  STATUS  PROVIDER  REMOTE  CREDENTIAL  LAST SYNCED              LAST ERROR',
      'l1  error   google    abc     c1          2027-01-02 03:04:05 UTC  quota exceeded',
      '',
    ]);
    const json = await run(['links', 'dept-a/doc', '--json'], () => ({ status: 200, body: links }));
    expect(JSON.parse(json.stdout)).toEqual(links);

    const list = await run(['credentials', 'list'], () => ({
      status: 200,
      body: { credentials: [credential('c1', 'Policy')] },
    }));
    expect(list.stdout).toMatch(/^ID +PROVIDER +NAME +ACCOUNT +FINGERPRINT +VERIFIED +LAST ERROR\n/);
    expect(list.stdout).toMatch(/c1 +google +Policy +c1@p\.iam\.gserviceaccount\.com +fp-c1 +never/);

    const usage = await run(['credentials', 'remove'], never);
    expect(usage).toMatchObject({
      code: 2,
      stderr: ['error: unknown credentials subcommand "remove": add or list'],
    });
  });
});
