import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addinApplicationIdUri } from '../../connectors/microsoft/addinApi.ts';
import { liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { type MicrosoftLinkEnv, startMicrosoftLinkEnv, TENANT_ID } from '../helpers/microsoftLinkEnv.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser, trackedPage } from './support/browser.ts';
import { prepareClient } from './support/client.ts';
import { OFFICE_JS_URL, routeOfficeJs, wordUser } from './support/officeJsRoute.ts';

/** The add-in's app registration: a single-page app too, for its sign-in dialog. */
const ADDIN = '9c0ffee0-5678-4abc-8def-0123456789ab';
const ADDIN_SECRET = 'docbridge~addin~dialog~secret';
/** Another registration of the same organisation (a re-registration of the add-in). */
const OTHER = 'ac0ffee0-5678-4abc-8def-0123456789ab';
const WORD_USER = 'dora@contoso.com';

let env: MicrosoftLinkEnv;
let browser: Browser;
let credential: string;
let counter = 0;

const signInPage = () => `${env.server.url}/word-addin/sign-in.html`;

/** An app registration with the SPA platform's redirect URI and the exposed API, as docs/word-addin.md asks. */
const registerApp = (clientId: string) =>
  env.emulator.control('/control/apps', {
    tenantId: TENANT_ID,
    clientId,
    clientSecret: ADDIN_SECRET,
    spaRedirectUris: [signInPage()],
    identifierUris: [addinApplicationIdUri(env.server.url, clientId)],
  });

const addinCredential = async (clientId: string) => {
  const created = await env.api<{ id: string }>('/api/credentials', {
    provider: 'microsoft',
    name: `Policy unit, add-in ${clientId.slice(0, 8)}`,
    tenantId: TENANT_ID,
    clientId,
    clientSecret: ADDIN_SECRET,
    addinClientId: clientId,
    endpoints: { graph: env.emulator.graphUrl, login: env.emulator.loginUrl },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id;
};

beforeAll(async () => {
  await prepareClient();
  [env, browser] = await Promise.all([startMicrosoftLinkEnv({ HOST: '127.0.0.1' }), launchBrowser()]);
  await registerApp(ADDIN);
  credential = await addinCredential(ADDIN);
  await env.emulator.control('/control/users', {
    tenantId: TENANT_ID,
    upn: WORD_USER,
    displayName: 'Dora Dialog',
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
});

/** A Word file `WORD_USER` may write, linked to a fresh document. */
async function linkedWordFile(paragraphs: string[]) {
  const doc = `dept-a/word-dialog-${process.pid}-${++counter}`;
  const file = await env.newWordFile(paragraphs);
  await env.emulator.control(`/control/drives/${env.driveId}/items/${file.itemId}/permissions`, {
    user: WORD_USER,
    role: 'write',
  });
  const link = await env.api('/api/links', { doc, credential, url: await env.sharingLink(file.itemId) });
  expect(link.status, JSON.stringify(link.body)).toBe(201);
  return { doc, file };
}

/**
 * The task pane in Chromium where Office SSO fails with `ssoErrorCode`, opened from a manifest naming
 * `clientId`. The context accepts the emulator's test certificate (its login pages open in the dialog) and
 * records the access tokens the token endpoint hands out, to look for them in the server's log.
 */
async function openPane(
  fileUrl: string,
  paragraphs: string[],
  ssoErrorCode: number,
  options: { clientId?: string; clock?: boolean } = {},
) {
  const context = await browser.newContext({
    viewport: { width: 340, height: 720 },
    ignoreHTTPSErrors: true,
  });
  const { page, problems } = await trackedPage(context);
  const tokens: string[] = [];
  // Through the route, not a response event: the dialog closes as soon as it has the token.
  await context.route('**/oauth2/v2.0/token', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { access_token?: string };
    if (body.access_token) tokens.push(body.access_token);
    await route.fulfill({ response });
  });
  await routeOfficeJs(page, {
    paragraphs,
    url: fileUrl,
    requirements: { WordApi: '1.6' },
    accessToken: null,
    ssoErrorCode,
  });
  // A controllable clock for the pane's page only (the dialog keeps real time): to reach a session's end.
  if (options.clock) await page.clock.install();
  await page.goto(`${env.server.url}/word-addin/taskpane.html?clientId=${options.clientId ?? ADDIN}`);
  return { context, page, problems, tokens, word: wordUser(page) };
}

/** Clicks "Sign in with Microsoft" and returns the dialog's window, on Microsoft's (the emulator's) sign-in form. */
async function openDialog(context: BrowserContext, page: Page, problems: string[]): Promise<Page> {
  const [dialog] = await Promise.all([context.waitForEvent('page'), page.locator('[data-sign-in]').click()]);
  dialog.on('console', (message) => {
    if (message.type() === 'error') problems.push(`dialog console: ${message.text()}`);
  });
  dialog.on('pageerror', (error) => problems.push(`dialog pageerror: ${error.message}`));
  await dialog.locator('#login').waitFor({ timeout: 30_000 });
  return dialog;
}

/** Signs in as `WORD_USER` on the emulator's form (or cancels there). */
async function answerAtMicrosoft(dialog: Page, action: 'sign-in' | 'cancel'): Promise<void> {
  await dialog.locator('#login').fill(WORD_USER);
  await dialog.locator(`button[value="${action}"]`).click();
}

const problemOf = (page: Page) => page.locator('[data-problem]').getAttribute('data-problem');

describe('the Word add-in’s dialog sign-in, when Office SSO is unavailable', () => {
  it('offers Microsoft sign-in on SSO error 13003, signs in through the dialog, and the binding works both ways', async () => {
    const start = ['Alpha', 'Beta'];
    const { doc, file } = await linkedWordFile(start);
    const client = await env.client(doc);
    await expect.poll(() => liveParagraphs(client.doc).join('|'), { timeout: 60_000 }).toBe('Alpha|Beta');
    const pane = await openPane(file.webUrl, start, 13_003);

    const offer = pane.page.locator('[data-problem="sso-unavailable"]');
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.getAttribute('data-detail')).toBe('13003');
    expect(await offer.textContent()).toContain('Sign in with your Microsoft account');
    expect(await pane.page.locator('[data-sign-in]').textContent()).toBe('Sign in with Microsoft');
    expect(await seriousViolations(pane.page)).toEqual([]);

    const dialog = await openDialog(pane.context, pane.page, pane.problems);
    await answerAtMicrosoft(dialog, 'sign-in');
    await pane.page.locator('[data-mode][data-events]').waitFor({ timeout: 60_000 });
    // The pane closed the dialog once it had the token.
    await expect.poll(() => dialog.isClosed(), { timeout: 20_000 }).toBe(true);
    expect(await pane.page.locator('[data-sign-in]').count()).toBe(0);
    await pane.page.locator('[data-status][data-state="saved"]').waitFor({ timeout: 30_000 });

    await pane.word.append(0, ' typed in Word');
    await expect
      .poll(() => liveParagraphs(client.doc).join('|'), { timeout: 30_000 })
      .toBe('Alpha typed in Word|Beta');
    const text = liveText(client.doc, 1);
    text.insert(text.length, ' from the web');
    await expect
      .poll(async () => (await pane.word.texts()).join('|'), { timeout: 30_000 })
      .toBe('Alpha typed in Word|Beta from the web');

    // The dialog's token reached the pane and the server, and never the server's log.
    expect(pane.tokens).toHaveLength(1);
    const logs = env.server.output();
    expect(logs).toContain('Word add-in session opened');
    for (const token of pane.tokens) {
      for (const part of [token, ...token.split('.').slice(1)]) expect(logs).not.toContain(part);
    }
    expect(pane.problems).toEqual([]);
    await pane.context.close();
  });

  it('asks with the button, never a dialog by itself, when a dialog sign-in’s session nears its end', async () => {
    const { doc, file } = await linkedWordFile(['Zeta']);
    const client = await env.client(doc);
    const pane = await openPane(file.webUrl, ['Zeta'], 13_003, { clock: true });
    await pane.page.locator('[data-sign-in]').waitFor({ timeout: 30_000 });
    await answerAtMicrosoft(await openDialog(pane.context, pane.page, pane.problems), 'sign-in');
    await pane.page.locator('[data-mode][data-events]').waitFor({ timeout: 60_000 });
    await pane.page.locator('[data-status][data-state="saved"]').waitFor({ timeout: 30_000 });
    const windows = pane.context.pages().length;

    // 59 minutes on (the session ends with the token, about an hour): the socket reconnects and asks for a
    // fresh token; the pane asks the user instead of opening a dialog.
    await pane.page.clock.fastForward('59:00');
    const ending = pane.page.locator('[data-problem="session-ending"]');
    await ending.waitFor({ timeout: 60_000 });
    expect(await ending.textContent()).toContain('Sign in with Microsoft again');
    expect(pane.context.pages()).toHaveLength(windows);
    expect(await seriousViolations(pane.page)).toEqual([]);

    await answerAtMicrosoft(await openDialog(pane.context, pane.page, pane.problems), 'sign-in');
    await expect.poll(() => pane.page.locator('[data-sign-in]').count(), { timeout: 30_000 }).toBe(0);
    expect(pane.tokens).toHaveLength(2);
    await pane.word.append(0, ' after signing in again');
    await expect
      .poll(() => liveParagraphs(client.doc).join('|'), { timeout: 30_000 })
      .toBe('Zeta after signing in again');
    expect(pane.problems).toEqual([]);
    await pane.context.close();
  });

  it('says so when the dialog is closed or the sign-in is cancelled, and offers the button again', async () => {
    const { file } = await linkedWordFile(['Gamma']);
    const pane = await openPane(file.webUrl, ['Gamma'], 13_001);
    await pane.page.locator('[data-sign-in]').waitFor({ timeout: 30_000 });

    const closed = await openDialog(pane.context, pane.page, pane.problems);
    await closed.close();
    await expect.poll(() => problemOf(pane.page), { timeout: 20_000 }).toBe('sign-in-cancelled');
    expect(await pane.page.locator('[data-problem]').getAttribute('data-detail')).toBe('dialog-12006');
    expect(await pane.page.locator('[data-problem]').textContent()).toContain('closed the sign-in window');
    await pane.page.locator('[data-sign-in]:not([disabled])').waitFor({ timeout: 20_000 });
    expect(await seriousViolations(pane.page)).toEqual([]);

    const cancelled = await openDialog(pane.context, pane.page, pane.problems);
    await answerAtMicrosoft(cancelled, 'cancel');
    await expect
      .poll(() => pane.page.locator('[data-problem]').getAttribute('data-detail'), { timeout: 20_000 })
      .toBe('access_denied AADSTS65004');
    expect(await problemOf(pane.page)).toBe('sign-in-cancelled');
    await expect.poll(() => cancelled.isClosed(), { timeout: 20_000 }).toBe(true);
    expect(await pane.page.locator('[data-sign-in]').count()).toBe(1);
    expect(pane.tokens).toEqual([]);
    expect(pane.problems).toEqual([]);
    await pane.context.close();
  });

  it('offers no dialog when SSO failed for a reason signing in does not cure', async () => {
    const { file } = await linkedWordFile(['Delta']);
    // 13004: the manifest's SSO resource is wrong, an administrator's fix.
    const pane = await openPane(file.webUrl, ['Delta'], 13_004);
    await expect.poll(() => problemOf(pane.page), { timeout: 30_000 }).toBe('sso-unavailable');
    expect(await pane.page.locator('[data-problem]').textContent()).toContain('Ask your administrator');
    expect(await pane.page.locator('[data-sign-in]').count()).toBe(0);
    await pane.context.close();
  });

  it('refuses a dialog token for another registration with the existing message', async () => {
    const { file } = await linkedWordFile(['Epsilon']);
    await registerApp(OTHER);
    const other = await addinCredential(OTHER);
    const pane = await openPane(file.webUrl, ['Epsilon'], 13_003, { clientId: OTHER });
    await pane.page.locator('[data-sign-in]').waitFor({ timeout: 30_000 });
    const dialog = await openDialog(pane.context, pane.page, pane.problems);
    // While the user signs in, the organisation's add-in registration is replaced: the token the dialog
    // brings is for a registration Docbridge no longer accepts.
    const removed = await env.api(`/api/credentials/${other}`, undefined, 'DELETE');
    expect(removed.status, JSON.stringify(removed.body)).toBeLessThan(300);
    await answerAtMicrosoft(dialog, 'sign-in');
    await expect.poll(() => problemOf(pane.page), { timeout: 30_000 }).toBe('not-configured');
    expect(await pane.page.locator('[data-problem]').getAttribute('data-detail')).toBe(
      'WORD_ADDIN_WRONG_AUDIENCE',
    );
    expect(await pane.page.locator('[data-sign-in]').count()).toBe(0);
    expect(await seriousViolations(pane.page)).toEqual([]);
    await pane.context.close();
  });
});

describe('the sign-in page and its settings', () => {
  it('lets only the sign-in page connect to the login hosts', async () => {
    const csp = async (path: string) =>
      (await fetch(`${env.server.url}${path}`)).headers.get('content-security-policy') ?? '';
    const signIn = await csp('/word-addin/sign-in.html');
    // Microsoft's clouds, and the operator's extra endpoint hosts (here the emulator's, 127.0.0.1 any port).
    expect(signIn).toContain(
      "connect-src 'self' ws: wss: https://login.microsoftonline.com https://login.microsoftonline.us https://login.chinacloudapi.cn https://127.0.0.1:*;",
    );
    expect(signIn).toContain("script-src 'self' https://appsforoffice.microsoft.com;");
    expect(await csp('/word-addin/taskpane.html')).toContain("connect-src 'self' ws: wss:;");
    expect(await csp('/')).toContain("connect-src 'self' ws: wss:;");
  });

  it('says what the sign-in page is when it is opened outside the add-in, and passes axe-core', async () => {
    const context = await browser.newContext();
    const { page, problems } = await trackedPage(context);
    await page.route(OFFICE_JS_URL, (route) => route.abort());
    await page.goto(signInPage());
    await page.locator('[data-status][data-state="no-office"]').waitFor({ timeout: 20_000 });
    expect(await seriousViolations(page)).toEqual([]);
    // Office.js could not load (aborted above): that is the only problem.
    expect(problems).toEqual(['console: Failed to load resource: net::ERR_FAILED']);
    await context.close();
  });

  it('answers the dialog’s settings without sign-in, refuses what it cannot answer, and is rate-limited', async () => {
    const config = (query: string) => fetch(`${env.server.url}/api/word-addin/sign-in-config${query}`);
    const answer = await config(`?clientId=${ADDIN}`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(await answer.json()).toEqual({
      clientId: ADDIN,
      tenantId: TENANT_ID,
      authority: `${env.emulator.loginUrl}/${TENANT_ID}`,
      scope: `${addinApplicationIdUri(env.server.url, ADDIN)}/access_as_user`,
    });
    // The server's only registration when the pane names none (a manifest from before the dialog).
    expect((await (await config('')).json()) as { clientId: string }).toMatchObject({ clientId: ADDIN });
    const unknown = await config('?clientId=00000000-0000-4000-8000-000000000000');
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([
      403,
      'WORD_ADDIN_NOT_CONFIGURED',
    ]);
    const invalid = await config('?clientId=not-a-guid');
    expect([invalid.status, ((await invalid.json()) as { code: string }).code]).toEqual([
      400,
      'WORD_ADDIN_INVALID_REQUEST',
    ]);
    let limited: Response | null = null;
    for (let i = 0; i < 40 && !limited; i++) {
      const response = await config(`?clientId=${ADDIN}`);
      if (response.status === 429) limited = response;
    }
    expect(limited?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await limited!.json()) as { code: string }).code).toBe('WORD_ADDIN_RATE_LIMITED');
  });
});
