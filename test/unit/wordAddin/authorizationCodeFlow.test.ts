import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  beginSignIn,
  completeSignIn,
  type PendingSignIn,
  redeemCode,
} from '../../../client/word-addin/sign-in/authorizationCodeFlow.ts';
import type { SignInConfig } from '../../../client/word-addin/sign-in/signInConfig.ts';
import { type GraphEmulator, startGraphEmulator } from '../../emulators/microsoft/server.ts';
import { emulatorControl } from '../../helpers/emulatorControl.ts';
import { trustCa } from '../../helpers/graphEmulator.ts';

const TENANT = '41111111-2222-3333-4444-555555555555';
const ADDIN = '6aaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const ORIGIN = 'https://docs.dept.example.gov';
const REDIRECT = `${ORIGIN}/word-addin/sign-in.html`;
const SCOPE = `api://docs.dept.example.gov/${ADDIN}/access_as_user`;

/** The dialog window's sessionStorage, in Node. */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

let emulator: GraphEmulator;
let config: SignInConfig;

beforeAll(async () => {
  emulator = await startGraphEmulator();
  trustCa(emulator.caPem);
  const control = emulatorControl(emulator.graphUrl);
  await control('/control/apps', {
    tenantId: TENANT,
    clientId: ADDIN,
    spaRedirectUris: [REDIRECT],
    identifierUris: [`api://docs.dept.example.gov/${ADDIN}`],
  });
  await control('/control/users', { tenantId: TENANT, upn: 'dina@contoso.com', displayName: 'Dina Dialog' });
  config = { clientId: ADDIN, tenantId: TENANT, authority: `${emulator.loginUrl}/${TENANT}`, scope: SCOPE };
});
afterAll(() => emulator?.close());

/** What a browser does between leaving for the authority and coming back: the sign-in form, as `dina`. */
async function signInAt(authorizeUrl: string, action = 'sign-in'): Promise<string> {
  const fields = new URL(authorizeUrl).searchParams;
  const answer = await fetch(`${config.authority}/oauth2/v2.0/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...Object.fromEntries(fields), login: 'dina@contoso.com', action }),
    redirect: 'manual',
  });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!).hash;
}

/** The browser's fetch from the sign-in page: it sends the page's Origin (Node's does not). */
const fromPage: typeof fetch = (input, init) =>
  fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: ORIGIN } });

describe('the sign-in dialog’s authorization code flow', () => {
  it('asks for a code with a fresh state and an S256 challenge of the verifier it keeps', async () => {
    const storage = new MemoryStorage();
    const first = new URL(await beginSignIn(config, REDIRECT, storage));
    const pending = JSON.parse(storage.getItem(storage.key(0)!)!) as PendingSignIn;
    expect(`${first.origin}${first.pathname}`).toBe(`${config.authority}/oauth2/v2.0/authorize`);
    expect(Object.fromEntries(first.searchParams)).toEqual({
      client_id: ADDIN,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: SCOPE,
      state: pending.state,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
      response_mode: 'fragment',
    });
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pending.tokenEndpoint).toBe(`${config.authority}/oauth2/v2.0/token`);
    const second = new URL(await beginSignIn(config, REDIRECT, storage));
    expect(second.searchParams.get('state')).not.toBe(pending.state);
    expect(storage.length).toBe(1);
  });

  it('redeems the code it gets back once, for the add-in’s access token', async () => {
    const storage = new MemoryStorage();
    const fragment = await signInAt(await beginSignIn(config, REDIRECT, storage));
    const answer = completeSignIn(fragment, storage);
    if (answer.kind !== 'code') throw new Error(`expected a code, got ${JSON.stringify(answer)}`);
    const message = await redeemCode(answer.pending, answer.code, fromPage);
    expect(Object.keys(message)).toEqual(['accessToken']);
    // The pending sign-in went with the first answer: the same redirect again is not accepted.
    expect(completeSignIn(fragment, storage)).toEqual({
      kind: 'failed',
      message: { error: 'refused', detail: 'state-mismatch' },
    });
    const replayed = await redeemCode(answer.pending, answer.code, fromPage);
    expect(replayed).toEqual({ error: 'refused', detail: 'invalid_grant AADSTS54005' });
  });

  it('refuses an answer with another state, and a verifier that is not the one it began with', async () => {
    const storage = new MemoryStorage();
    const fragment = await signInAt(await beginSignIn(config, REDIRECT, storage));
    const forged = new URLSearchParams(fragment.slice(1));
    forged.set('state', 'someone-elses');
    expect(completeSignIn(`#${forged}`, storage)).toEqual({
      kind: 'failed',
      message: { error: 'refused', detail: 'state-mismatch' },
    });

    const again = new MemoryStorage();
    const answer = completeSignIn(await signInAt(await beginSignIn(config, REDIRECT, again)), again);
    if (answer.kind !== 'code') throw new Error('expected a code');
    const tampered = { ...answer.pending, verifier: 'x'.repeat(43) };
    expect(await redeemCode(tampered, answer.code, fromPage)).toEqual({
      error: 'refused',
      detail: 'invalid_grant AADSTS501481',
    });
  });

  it('reports a cancel at Microsoft as cancelled, and has nothing to do without an answer', async () => {
    const storage = new MemoryStorage();
    expect(completeSignIn('', storage)).toEqual({ kind: 'start' });
    const fragment = await signInAt(await beginSignIn(config, REDIRECT, storage), 'cancel');
    expect(completeSignIn(fragment, storage)).toEqual({
      kind: 'failed',
      message: { error: 'cancelled', detail: 'access_denied AADSTS65004' },
    });
  });
});
