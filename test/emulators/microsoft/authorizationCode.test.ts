import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorControl } from '../../helpers/emulatorControl.ts';
import { trustCa } from '../../helpers/graphEmulator.ts';
import { type GraphEmulator, startGraphEmulator } from './server.ts';

const TENANT = '31111111-2222-3333-4444-555555555555';
const ADDIN = '4aaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OTHER = '5aaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ORIGIN = 'https://docs.dept.example.gov';
const SPA_REDIRECT = `${ORIGIN}/word-addin/sign-in.html`;
const WEB_REDIRECT = `${ORIGIN}/auth/callback`;
const SCOPE = `api://docs.dept.example.gov/${ADDIN}/access_as_user`;

let emulator: GraphEmulator;
let control: ReturnType<typeof emulatorControl>;

beforeAll(async () => {
  emulator = await startGraphEmulator();
  trustCa(emulator.caPem);
  control = emulatorControl(emulator.graphUrl);
  for (const clientId of [ADDIN, OTHER]) {
    await control('/control/apps', {
      tenantId: TENANT,
      clientId,
      spaRedirectUris: [SPA_REDIRECT],
      webRedirectUris: [WEB_REDIRECT],
      identifierUris: [`api://docs.dept.example.gov/${clientId}`],
    });
  }
  await control('/control/users', { tenantId: TENANT, upn: 'sam@contoso.com', displayName: 'Sam Signin' });
});
afterAll(() => emulator?.close());

const verifierPair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

const authorizeUrl = (params: Record<string, string>) =>
  `${emulator.loginUrl}/${TENANT}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: ADDIN,
    response_type: 'code',
    redirect_uri: SPA_REDIRECT,
    scope: SCOPE,
    state: 'st-1',
    response_mode: 'fragment',
    ...params,
  })}`;

/** The sign-in form's answer for `params` (what the browser would be redirected to). */
async function submit(params: Record<string, string>, form: Record<string, string>) {
  const page = await fetch(authorizeUrl(params));
  expect(page.status).toBe(200);
  const body = new URLSearchParams({
    ...Object.fromEntries(new URL(authorizeUrl(params)).searchParams),
    ...form,
  });
  const answer = await fetch(`${emulator.loginUrl}/${TENANT}/oauth2/v2.0/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
  return answer;
}

/** Signs `sam` in and returns the code and where it was sent. */
async function code(params: Record<string, string> = {}) {
  const answer = await submit(params, { login: 'sam@contoso.com', action: 'sign-in' });
  expect(answer.status).toBe(302);
  const location = new URL(answer.headers.get('location')!);
  const fields = new URLSearchParams(location.hash.slice(1) || location.search);
  expect(fields.get('state')).toBe('st-1');
  return fields.get('code')!;
}

async function redeem(form: Record<string, string>, origin: string | null = ORIGIN) {
  const response = await fetch(`${emulator.loginUrl}/${TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin === null ? {} : { origin }),
    },
    body: new URLSearchParams({
      client_id: ADDIN,
      grant_type: 'authorization_code',
      redirect_uri: SPA_REDIRECT,
      scope: SCOPE,
      ...form,
    }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { response, body, aadsts: /^AADSTS(\d+)/.exec(String(body.error_description ?? ''))?.[1] };
}

describe('the Entra emulator’s authorization code flow (public client, PKCE)', () => {
  it('issues a code for a directory user and redeems it once, cross-origin, for the add-in’s v2.0 token', async () => {
    const { verifier, challenge } = verifierPair();
    const issued = await code({ code_challenge: challenge, code_challenge_method: 'S256' });
    const first = await redeem({ code: issued, code_verifier: verifier });
    expect(first.response.status, JSON.stringify(first.body)).toBe(200);
    expect(first.response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(first.body).toMatchObject({ token_type: 'Bearer', scope: SCOPE });
    const keys = createRemoteJWKSet(new URL(`${emulator.loginUrl}/${TENANT}/discovery/v2.0/keys`));
    const { payload } = await jwtVerify(String(first.body.access_token), keys, {
      issuer: `${emulator.loginUrl}/${TENANT}/v2.0`,
      audience: ADDIN,
    });
    expect(payload).toMatchObject({ azp: ADDIN, scp: 'access_as_user', tid: TENANT, name: 'Sam Signin' });

    const again = await redeem({ code: issued, code_verifier: verifier });
    expect([again.response.status, again.body.error, again.aadsts]).toEqual([400, 'invalid_grant', '54005']);
  });

  it('refuses a verifier that does not match, a missing one, and a SPA code issued without PKCE', async () => {
    const { challenge } = verifierPair();
    const wrong = await redeem({
      code: await code({ code_challenge: challenge, code_challenge_method: 'S256' }),
      code_verifier: verifierPair().verifier,
    });
    expect([wrong.body.error, wrong.aadsts]).toEqual(['invalid_grant', '501481']);
    const missing = await redeem({
      code: await code({ code_challenge: challenge, code_challenge_method: 'S256' }),
    });
    expect([missing.body.error, missing.aadsts]).toEqual(['invalid_grant', '50148']);
    const plainCode = await code();
    const none = await redeem({ code: plainCode, code_verifier: verifierPair().verifier });
    expect([none.body.error, none.aadsts]).toEqual(['invalid_request', '9002325']);
  });

  it('binds the code to its client, redirect URI and lifetime', async () => {
    const { verifier, challenge } = verifierPair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const otherClient = await redeem({ code: await code(pkce), code_verifier: verifier, client_id: OTHER });
    expect([otherClient.body.error, otherClient.aadsts]).toEqual(['invalid_grant', '70000']);
    const otherRedirect = await redeem({
      code: await code(pkce),
      code_verifier: verifier,
      redirect_uri: `${ORIGIN}/word-addin/other.html`,
    });
    expect([otherRedirect.body.error, otherRedirect.aadsts]).toEqual(['invalid_grant', '500112']);
    const late = await code(pkce);
    await control('/control/authorization-codes/expire', {});
    const expired = await redeem({ code: late, code_verifier: verifier });
    expect([expired.body.error, expired.aadsts]).toEqual(['invalid_grant', '70008']);
  });

  it('lets only a single-page app’s own origin redeem its code, and only cross-origin', async () => {
    const { verifier, challenge } = verifierPair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const noOrigin = await redeem({ code: await code(pkce), code_verifier: verifier }, null);
    expect([noOrigin.body.error, noOrigin.aadsts]).toEqual(['invalid_request', '9002327']);
    const foreign = await redeem({ code: await code(pkce), code_verifier: verifier }, 'https://evil.example');
    expect([foreign.body.error, foreign.aadsts]).toEqual(['invalid_request', '9002326']);
    expect(foreign.response.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    // A "Web" platform redirect URI's code redeemed from a browser.
    const web = await redeem(
      {
        code: await code({ ...pkce, redirect_uri: WEB_REDIRECT }),
        code_verifier: verifier,
        redirect_uri: WEB_REDIRECT,
      },
      ORIGIN,
    );
    expect([web.body.error, web.aadsts]).toEqual(['invalid_request', '9002326']);
  });

  it('never redirects to an unregistered URI, and sends request errors and a cancel back with the state', async () => {
    const unregistered = await fetch(authorizeUrl({ redirect_uri: `${ORIGIN}/elsewhere` }), {
      redirect: 'manual',
    });
    expect(unregistered.status).toBe(400);
    expect(await unregistered.text()).toContain('AADSTS50011');

    const back = async (answer: Response) => {
      expect(answer.status).toBe(302);
      const location = new URL(answer.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(SPA_REDIRECT);
      return Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
    };
    const cancelled = await back(await submit({}, { login: 'sam@contoso.com', action: 'cancel' }));
    expect(cancelled).toMatchObject({ error: 'access_denied', state: 'st-1' });
    expect(cancelled.error_description).toMatch(/^AADSTS65004/);
    const badScope = await back(
      await fetch(authorizeUrl({ scope: `api://elsewhere/${ADDIN}/access_as_user` }), { redirect: 'manual' }),
    );
    expect(badScope).toMatchObject({ error: 'invalid_resource', state: 'st-1' });
    // An account outside the directory: the form again, with Entra's sentence.
    const stranger = await submit({}, { login: 'nobody@contoso.com', action: 'sign-in' });
    expect(stranger.status).toBe(200);
    expect(await stranger.text()).toContain('does not exist in this organisation');
  });
});
