import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, waitFor } from '../helpers/clients.ts';
import { ADDIN_CLIENT_ID, startWordAddinEnv, type WordAddinEnv } from '../helpers/wordAddinEnv.ts';

const OTHER_TENANT = '9b8a7c6d-0000-4000-8000-00000000000a';
const UNCONFIGURED_TENANT = '9b8a7c6d-0000-4000-8000-00000000000b';

let env: WordAddinEnv;
let linkedUrl: string;
const ssoToken = (upn: string, body?: Record<string, unknown>) => env.ssoToken(upn, body);
const signIn = (accessToken: string, documentUrl = linkedUrl) => env.signIn(accessToken, documentUrl);

beforeAll(async () => {
  env = await startWordAddinEnv();
  // Another directory, connected to Docbridge without the add-in's client id.
  await env.emulator.control('/control/apps', {
    tenantId: UNCONFIGURED_TENANT,
    clientId: ADDIN_CLIENT_ID,
    clientSecret: 'another~secret',
  });
  const unconfigured = await env.api('/api/credentials', {
    provider: 'microsoft',
    name: 'Another directory',
    tenantId: UNCONFIGURED_TENANT,
    clientId: ADDIN_CLIENT_ID,
    clientSecret: 'another~secret',
    endpoints: env.endpoints,
  });
  expect(unconfigured.status, JSON.stringify(unconfigured.body)).toBe(201);

  for (const upn of ['olga@contoso.com', 'wim@contoso.com', 'rita@contoso.com', 'nora@contoso.com'])
    await env.user(upn);
  await env.user('eve@fabrikam.com', OTHER_TENANT);
  await env.user('una@unconfigured.com', UNCONFIGURED_TENANT);
  const file = await env.linkedFile('dept-a/housing', ['Housing policy', 'Draft one'], {
    'olga@contoso.com': 'owner',
    'wim@contoso.com': 'write',
    'rita@contoso.com': 'read',
  });
  // What Office.context.document.url reports: the file's address in its library.
  linkedUrl = file.webUrl;
}, 120_000);
afterAll(() => env?.close());

describe('POST /api/word-addin/session against the Graph/Entra emulator', () => {
  it('gives a user who can write the file an edit session on its linked document, usable on /collab', async () => {
    const token = await ssoToken('wim@contoso.com');
    const started = Date.now();
    const answer = await signIn(token);
    console.log(
      `word-addin sign-in (first, discovery + JWKS + on-behalf-of + 2 Graph reads): ${Date.now() - started} ms`,
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ document: { name: 'dept-a/housing' }, role: 'edit' });
    expect(answer.body.token).toMatch(/^dbk\./);

    const client = connectClient(env.server.wsUrl, 'dept-a/housing', answer.body.token!);
    await client.synced;
    client.text.insert(0, 'from Word ');
    await client.saved();
    // Another web user sees the add-in's edit: the socket accepted it as an editor's.
    const web = await env.client('dept-a/housing');
    await waitFor(() => web.text.toString().includes('from Word'), 'the add-in edit on the web', 15_000);
    client.destroy();

    // The task pane reads the document's link status with the same token.
    const status = await fetch(`${env.server.url}/api/documents/dept-a/housing/links`, {
      headers: { Authorization: `Bearer ${answer.body.token}` },
    });
    expect(status.status).toBe(200);
    expect(((await status.json()) as { links: { provider: string }[] }).links[0]?.provider).toBe('microsoft');

    // The session reaches that one document only.
    const elsewhere = connectClient(env.server.wsUrl, 'dept-a/other', answer.body.token!);
    await expect(elsewhere.synced).rejects.toThrow('document-not-granted');
    elsewhere.destroy();
  });

  it('gives the owner edit and a reader read (the server drops a reader’s updates)', async () => {
    const token = await ssoToken('olga@contoso.com');
    const started = Date.now();
    expect((await signIn(token)).body.role).toBe('edit');
    console.log(`word-addin sign-in (keys cached): ${Date.now() - started} ms`);
    const reader = await signIn(await ssoToken('rita@contoso.com'));
    expect(reader.status).toBe(200);
    expect(reader.body.role).toBe('read');
    const client = connectClient(env.server.wsUrl, 'dept-a/housing', reader.body.token!);
    await client.synced;
    const web = await env.client('dept-a/housing');
    client.text.insert(0, 'reader typed this ');
    // Messages of one socket are handled in order: once the reader's later awareness update reached the web
    // user, the server has handled (and dropped) its document update.
    client.provider.setAwarenessField('user', { name: 'rita, after typing' });
    await waitFor(
      () =>
        [...web.provider.awareness!.getStates().values()].some(
          (state) => (state.user as { name?: string } | undefined)?.name === 'rita, after typing',
        ),
      'the reader’s awareness on the web',
      15_000,
    );
    expect(web.text.toString()).not.toContain('reader typed this');
    client.destroy();
  });

  it('refuses each bad sign-in with its status and stable code', async () => {
    const refusals: [string, Promise<Awaited<ReturnType<typeof signIn>>>, number, string][] = [];
    const expectRefusal = (
      what: string,
      answer: Promise<Awaited<ReturnType<typeof signIn>>>,
      status: number,
      code: string,
    ) => refusals.push([what, answer, status, code]);

    expectRefusal(
      'a user without access',
      signIn(await ssoToken('nora@contoso.com')),
      403,
      'WORD_ADDIN_NO_ACCESS',
    );
    const unlinked = await env.newWordFile(['Not linked'], 'Unlinked.docx');
    await env.grant(unlinked.itemId, 'wim@contoso.com', 'owner');
    expectRefusal(
      'a file no document is linked to',
      signIn(await ssoToken('wim@contoso.com'), unlinked.webUrl),
      404,
      'WORD_ADDIN_NOT_LINKED',
    );
    const genuine = await ssoToken('wim@contoso.com');
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ ...decodeJwt(genuine), name: 'Admin' })
      .setProtectedHeader(decodeProtectedHeader(genuine) as { alg: string })
      .sign(privateKey);
    expectRefusal('a forged signature', signIn(forged), 401, 'WORD_ADDIN_TOKEN_INVALID');
    expectRefusal(
      'a token for another application',
      signIn(await ssoToken('wim@contoso.com', { audience: '00000003-0000-0000-c000-000000000000' })),
      401,
      'WORD_ADDIN_WRONG_AUDIENCE',
    );
    expectRefusal(
      'an expired token',
      signIn(await ssoToken('wim@contoso.com', { lifetimeSeconds: -900 })),
      401,
      'WORD_ADDIN_TOKEN_EXPIRED',
    );
    expectRefusal(
      'a directory no department uses',
      signIn(await ssoToken('eve@fabrikam.com')),
      403,
      'WORD_ADDIN_TENANT_UNKNOWN',
    );
    expectRefusal(
      'a directory whose credential has no add-in client id',
      signIn(await ssoToken('una@unconfigured.com')),
      403,
      'WORD_ADDIN_NOT_CONFIGURED',
    );
    expectRefusal(
      'an address outside OneDrive and SharePoint',
      signIn(await ssoToken('wim@contoso.com'), 'https://example.com/Policy.docx'),
      400,
      'WORD_ADDIN_INVALID_REQUEST',
    );
    expectRefusal('garbage instead of a token', signIn('not-a-token'), 401, 'WORD_ADDIN_TOKEN_INVALID');
    for (const [what, answer, status, code] of refusals) {
      const { status: got, body } = await answer;
      expect({ what, status: got, code: body.code }).toEqual({ what, status, code });
      expect(body.message, what).toBeTruthy();
    }
  });

  it('never logs an access token or a session token', async () => {
    const answer = await signIn(await ssoToken('wim@contoso.com'));
    expect(answer.status).toBe(200);
    const logs = env.server.output();
    expect(logs).toContain('Word add-in session opened');
    for (const token of env.issued) {
      // Not the token, nor its signature or claims segment alone.
      for (const part of [token, ...token.split('.').slice(1)]) expect(logs).not.toContain(part);
    }
    expect(logs).not.toContain(answer.body.token!);
  });
});
