import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { clientKeyPair, startOpenIdProvider, type TestOpenIdProvider } from '../helpers/oidcProvider.ts';
import type { ServerProcess } from '../helpers/serverProcess.ts';
import { seriousViolations } from './support/axe.ts';
import { editorText, trackedPage } from './support/browser.ts';
import { startServerAndBrowser } from './support/stack.ts';

// Two departments, each with its own real OpenID Provider on loopback: A authenticates its client with a
// secret (as Entra ID and Google do), B with private_key_jwt (as GOV.UK One Login does).
let server: ServerProcess;
let browser: Browser;
let opA: TestOpenIdProvider;
let opB: TestOpenIdProvider;
const keyB = clientKeyPair('docbridge-b-1');

beforeAll(async () => {
  [opA, opB] = await Promise.all([
    startOpenIdProvider('dept-a.example'),
    startOpenIdProvider('dept-b.example'),
  ]);
  const providers = [
    {
      id: 'dept-a',
      tenant: 'dept-a',
      label: 'Department A',
      issuer: opA.issuer,
      clientId: 'docbridge-a',
      clientSecret: 'a-client-secret-for-tests-only',
      allowedEmailDomains: ['dept-a.example'],
      adminClaim: { claim: 'email', value: 'ada@dept-a.example' },
    },
    {
      id: 'strict',
      tenant: 'dept-a',
      label: 'Department A (contractors)',
      issuer: opA.issuer,
      clientId: 'docbridge-strict',
      clientSecret: 'another-client-secret-for-tests',
      allowedEmailDomains: ['contractors.example'],
    },
    {
      id: 'dept-b',
      tenant: 'dept-b',
      label: 'Department B',
      issuer: opB.issuer,
      clientId: 'docbridge-b',
      privateKeyJwk: keyB.privateJwk,
      adminClaim: { claim: 'email', value: 'bea@dept-b.example' },
    },
  ];
  [server, browser] = await startServerAndBrowser({ DOCBRIDGE_OIDC_PROVIDERS: JSON.stringify(providers) });
  opA.register([
    {
      clientId: 'docbridge-a',
      redirectUri: `${server.url}/auth/dept-a/callback`,
      auth: { secret: 'a-client-secret-for-tests-only' },
    },
    {
      clientId: 'docbridge-strict',
      redirectUri: `${server.url}/auth/strict/callback`,
      auth: { secret: 'another-client-secret-for-tests' },
    },
  ]);
  opB.register([
    {
      clientId: 'docbridge-b',
      redirectUri: `${server.url}/auth/dept-b/callback`,
      auth: { publicJwk: keyB.publicJwk },
    },
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await Promise.all([opA?.close(), opB?.close()]);
});

interface Signed {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/** Goes through the provider labelled `label` as `login`, filling oidc-provider's development login form. */
async function throughProvider(page: Page, label: string, login: string): Promise<void> {
  await page.goto(`${server.url}/`);
  await page.getByRole('button', { name: `Sign in with ${label}`, exact: true }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** A fresh browser signed in as `login` through the provider labelled `label`. */
async function signIn(label: string, login: string): Promise<Signed> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  const { page, problems } = await trackedPage(context);
  await throughProvider(page, label, login);
  await page.waitForURL(`${server.url}/`);
  await page.locator('.site-nav__user').waitFor();
  // What the signed-out page and the provider's own pages logged (its web fonts, a 401 before sign-in) is
  // not Docbridge's: only problems from here on count.
  problems.length = 0;
  return { context, page, problems };
}

/** Calls the API from the page as its script would: session cookie plus the session's anti-CSRF token. */
function api(page: Page, method: string, path: string, body?: unknown, csrf = true) {
  return page.evaluate(
    async ([method, path, body, csrf]) => {
      const session = (await (await fetch('/api/session')).json()) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(csrf ? { 'x-csrf-token': session.csrfToken } : {}),
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as never };
    },
    [method, path, body, csrf] as const,
  );
}

const waitForState = (page: Page, state: string, timeout = 30_000) =>
  page.locator(`[data-status][data-state="${state}"]`).waitFor({ timeout });

async function createDocument(page: Page, title: string): Promise<string> {
  await page.locator('#new-title').fill(title);
  await page.getByRole('button', { name: 'Create document' }).click();
  await page.waitForURL(/\/d\/dept-a\//);
  await waitForState(page, 'saved');
  return new URL(page.url()).pathname.slice(3);
}

async function auditActions(page: Page): Promise<string[]> {
  const { body } = await api(page, 'GET', '/api/audit?limit=200');
  return (body as { entries: { action: string }[] }).entries.map((e) => e.action);
}

describe('sign-in with each department’s provider, sharing across departments, guest links', () => {
  test('A shares with department B; both edit live; withdrawing the share closes B’s editor', async () => {
    const ada = await signIn('Department A', 'ada');
    const name = await createDocument(ada.page, `Joint brief ${process.pid}`);
    await ada.page.locator('#editor').click();
    await ada.page.keyboard.type('Drafted by A. ');

    await ada.page.getByRole('button', { name: 'Share', exact: true }).click();
    await ada.page.locator('#share-kind').selectOption('tenant');
    await ada.page.locator('#share-with').fill('dept-b');
    await ada.page.locator('#share-role').selectOption('edit');
    await ada.page.locator('dialog form').first().getByRole('button', { name: 'Share' }).click();
    await ada.page.getByRole('button', { name: 'Remove everyone in dept-b' }).waitFor();
    expect(await seriousViolations(ada.page)).toEqual([]);
    await ada.page.getByRole('button', { name: 'Close' }).click();

    const bea = await signIn('Department B', 'bea');
    const shared = bea.page.locator('.shared-with-you');
    await shared.waitFor();
    expect(await seriousViolations(bea.page)).toEqual([]);
    await shared.getByRole('link', { name: `Joint brief ${process.pid}` }).click();
    await waitForState(bea.page, 'saved');
    await expect.poll(() => editorText(bea.page)).toContain('Drafted by A.');
    await bea.page.locator('#editor').click();
    await bea.page.keyboard.press('End');
    await bea.page.keyboard.type('Reviewed by B.');
    await expect.poll(() => editorText(ada.page), { timeout: 15_000 }).toContain('Reviewed by B.');
    await expect
      .poll(() => ada.page.locator('.collaboration-carets__label', { hasText: 'User bea' }).count())
      .toBe(1);

    // B's department cannot pass A's document on; both departments' audit logs hold the grant and its use.
    expect(
      (
        await api(bea.page, 'POST', `/api/documents/${name}/shares`, {
          with: { tenant: 'dept-c' },
          role: 'read',
        })
      ).status,
    ).toBe(403);
    expect(await auditActions(ada.page)).toEqual(expect.arrayContaining(['share.grant', 'share.use']));
    expect(await auditActions(bea.page)).toEqual(expect.arrayContaining(['share.grant', 'share.use']));

    const { body } = await api(ada.page, 'GET', `/api/documents/${name}/shares`);
    const shareId = (body as { shares: { id: string }[] }).shares[0]!.id;
    const withdrawnAt = Date.now();
    expect((await api(ada.page, 'DELETE', `/api/documents/${name}/shares/${shareId}`)).status).toBe(200);
    await waitForState(bea.page, 'denied');
    console.log(`share withdrawal closed B's editor after ${Date.now() - withdrawnAt} ms`);
    expect(await bea.page.locator('[data-status]').textContent()).toMatch(/access .* was withdrawn/);
    expect((await api(bea.page, 'GET', `/api/documents/${name}`)).status).toBe(403);
    expect([...ada.problems, ...bea.problems].filter((p) => !p.includes('403'))).toEqual([]);
    await Promise.all([ada.context.close(), bea.context.close()]);
  });

  test('a guest link opens the editor with a name only, and is refused after revocation and after expiry', async () => {
    const ada = await signIn('Department A', 'ada');
    const name = await createDocument(ada.page, `Guest review ${process.pid}`);
    const created = await api(ada.page, 'POST', `/api/documents/${name}/guest-links`, {
      role: 'edit',
      expiresInHours: 1,
      label: 'Reviewer',
    });
    expect(created.status).toBe(201);
    const { id, url } = created.body as { id: string; url: string };
    expect(url).toMatch(/\/guest#dbg\.[A-Za-z0-9_-]{43}$/);

    const guestContext = await browser.newContext();
    const guest = await guestContext.newPage();
    await guest.goto(url);
    expect(guest.url()).toBe(`${server.url}/guest`);
    expect(await seriousViolations(guest)).toEqual([]);
    await guest.locator('#guest-name').fill('Gwen');
    await guest.getByRole('button', { name: 'Open the document' }).click();
    await guest.waitForURL(`${server.url}/d/${name}`);
    await waitForState(guest, 'saved');
    await guest.locator('#editor').click();
    await guest.keyboard.type('Comment from the guest.');
    await expect.poll(() => editorText(ada.page), { timeout: 15_000 }).toContain('Comment from the guest.');
    await expect
      .poll(() => ada.page.locator('.collaboration-carets__label', { hasText: 'Gwen (guest)' }).count())
      .toBe(1);
    expect(await auditActions(ada.page)).toEqual(
      expect.arrayContaining(['guest-link.redeem', 'guest-link.use']),
    );
    expect(server.output()).not.toContain(url.split('#')[1]!);

    const revokedAt = Date.now();
    expect((await api(ada.page, 'DELETE', `/api/documents/${name}/guest-links/${id}`)).status).toBe(200);
    await waitForState(guest, 'denied');
    console.log(`guest link revocation closed the guest's editor after ${Date.now() - revokedAt} ms`);
    await guestContext.close();
    await expectRefused(url);

    // A link that expires: it works, then the guest's editor closes by itself and the link is refused.
    const short = await api(ada.page, 'POST', `/api/documents/${name}/guest-links`, {
      role: 'read',
      expiresInHours: 20 / 3600,
    });
    const shortUrl = (short.body as { url: string }).url;
    const later = await browser.newContext();
    const reader = await later.newPage();
    await reader.goto(shortUrl);
    await reader.locator('#guest-name').fill('Rui');
    await reader.getByRole('button', { name: 'Open the document' }).click();
    await waitForState(reader, 'read-only');
    await waitForState(reader, 'denied', 60_000);
    await later.close();
    await expectRefused(shortUrl);
    await ada.context.close();
  });

  test('a state-changing request without the CSRF token is refused; sign-out ends the session everywhere', async () => {
    const ada = await signIn('Department A', 'ada');
    const refused = await api(ada.page, 'POST', '/api/documents', { title: 'Forged' }, false);
    expect(refused).toEqual({ status: 403, body: expect.objectContaining({ error: 'csrf-token-invalid' }) });
    const allowed = await api(ada.page, 'POST', '/api/documents', { title: 'Genuine' });
    expect(allowed.status).toBe(201);

    // The same session in a second tab has the document open; signing out in the first closes it.
    const editorTab = await ada.context.newPage();
    await editorTab.goto(`${server.url}/d/${(allowed.body as { name: string }).name}`);
    await waitForState(editorTab, 'saved');
    // The documents page lists where Ada is signed in; this browser is marked and cannot end itself there.
    await ada.page.reload();
    const mine = ada.page.locator('.your-sessions li');
    await expect.poll(() => mine.count()).toBeGreaterThanOrEqual(1);
    await ada.page.locator('.your-sessions').getByText('This browser').waitFor();
    const sent = ada.page.waitForRequest('**/api/session/signout').then(() => Date.now());
    await ada.page.locator('.site-nav').getByRole('button', { name: 'Sign out' }).click();
    await waitForState(editorTab, 'denied');
    console.log(
      `sign-out closed the session's other editor ${Date.now() - (await sent)} ms after the request`,
    );
    await ada.page.getByRole('button', { name: 'Sign in with Department A', exact: true }).waitFor();
    expect(await editorTab.evaluate(() => fetch('/api/session').then((r) => r.status))).toBe(401);
    await ada.context.close();
  });

  test('sign-in refuses accounts outside the allowed domains, callbacks it did not start, unknown providers', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await throughProvider(page, 'Department A (contractors)', 'ada');
    await page.getByText('Your account is not one of Department A (contractors)’s.').waitFor();
    expect(await page.evaluate(() => fetch('/api/session').then((r) => r.status))).toBe(401);

    const forged = await fetch(`${server.url}/auth/dept-a/callback?code=stolen&state=guessed`);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Please sign in again');
    expect((await fetch(`${server.url}/auth/nobody/start`)).status).toBe(404);
    const start = await fetch(`${server.url}/auth/dept-a/start?return=//evil.example`, {
      redirect: 'manual',
    });
    const authorize = new URL(start.headers.get('location')!);
    expect(authorize.origin).toBe(opA.issuer);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${server.url}/auth/dept-a/callback`);
    expect(start.headers.get('set-cookie')).toMatch(/docbridge_oidc=.*HttpOnly.*SameSite=Lax/);
    await context.close();
  });

  test('a session revoked by an admin stops working at once', async () => {
    const carl = await signIn('Department A', 'carl');
    const name = await createDocument(carl.page, `Carl's notes ${process.pid}`);
    const ada = await signIn('Department A', 'ada');
    // Carl is not an administrator: the admin API refuses him.
    expect((await api(carl.page, 'GET', '/api/admin/sessions')).status).toBe(403);

    await ada.page.goto(`${server.url}/admin`);
    // The admin page names the provider in use and the redirect URI to register there.
    await ada.page.locator('code', { hasText: `${server.url}/auth/dept-a/callback` }).waitFor();
    const revoke = ada.page.getByRole('button', { name: 'Revoke session of User carl' });
    const revokedAt = Date.now();
    await revoke.click();
    await ada.page.locator('[data-announcer]', { hasText: 'Session of User carl revoked.' }).waitFor();
    await waitForState(carl.page, 'denied');
    console.log(`admin revocation closed the session's editor after ${Date.now() - revokedAt} ms`);
    const after = await api(carl.page, 'GET', `/api/documents/${name}`);
    expect(after).toEqual({ status: 401, body: { error: 'session-ended' } });
    await Promise.all([ada.context.close(), carl.context.close()]);
  });
});

/** Opening a refused guest link in a fresh browser says so and opens nothing. */
async function expectRefused(url: string): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('#guest-name').fill('Mallory');
  await page.getByRole('button', { name: 'Open the document' }).click();
  await page.locator('[data-refused]').waitFor();
  expect(page.url()).toBe(`${server.url}/guest`);
  await context.close();
}
