import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from '../helpers/googleEmulatorProcess.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { TEST_SECRET } from '../helpers/tokens.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser, trackedPage } from './support/browser.ts';
import { prepareClient } from './support/client.ts';
import { contextFor, type TestUser } from './support/users.ts';

const amal: TestUser = { sub: 'u-amal', name: 'Amal Admin', role: 'edit', admin: true };
/** An OAuth client and the refresh token a user granted it, registered with (and trusted by) the emulator. */
const client = {
  clientId: 'docbridge-web.apps.googleusercontent.com',
  clientSecret: `GOCSPX-${randomBytes(12).toString('base64url')}`,
  refreshToken: `1//0g${randomBytes(24).toString('base64url')}`,
};
const wrongToken = `1//0g${randomBytes(24).toString('base64url')}`;

let emulator: GoogleEmulatorProcess;
let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  await prepareClient();
  [emulator, server, browser] = await Promise.all([
    startGoogleEmulatorProcess(),
    startServerProcess({
      DOCBRIDGE_DATA_DIR: tempDataDir(),
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      HOST: '127.0.0.1',
    }),
    launchBrowser(),
  ]);
  await emulator.control('/control/oauth-clients', { ...client, user: 'amal@dept-a.example.gov.uk' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await emulator?.stop();
});

const announcer = (page: Page) => page.locator('[data-announcer]');
/** Google's credential form: the Microsoft one on the same page has fields of the same names. */
const googleForm = (page: Page) => page.locator('form[data-provider="google"]');
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Fills the focused field by typing, then moves on with Tab, as a keyboard user does. */
async function typeAndTab(page: Page, text: string) {
  await page.keyboard.type(text);
  await page.keyboard.press('Tab');
}

/** Fills in an OAuth credential with the keyboard alone, from the Client ID field to the submit button. */
async function enterOAuth(page: Page, refreshToken: string) {
  expect(await focusedId(page)).toBe('credential-google-oauth-client-id');
  await typeAndTab(page, client.clientId);
  expect(await focusedId(page)).toBe('credential-google-oauth-client-secret');
  await typeAndTab(page, client.clientSecret);
  expect(await focusedId(page)).toBe('credential-google-oauth-refresh-token');
  await typeAndTab(page, refreshToken);
  // "Advanced settings": opened with Enter (it stays open after a save); the subject (service accounts
  // only) is skipped.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Advanced settings');
  const advanced = googleForm(page).locator('details', { hasText: 'Advanced settings' });
  if (!(await advanced.evaluate((details) => (details as HTMLDetailsElement).open)))
    await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe('credential-google-endpoints-docs');
  await typeAndTab(page, emulator.url);
  await typeAndTab(page, emulator.url);
  await typeAndTab(page, emulator.tokenUrl);
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Add Google credential');
  await page.keyboard.press('Enter');
}

/** Presses the row's Verify button and returns what `POST /api/credentials/:id/verify` answered. */
async function verify(page: Page, name: string): Promise<unknown> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/verify') && r.request().method() === 'POST'),
    page.getByRole('button', { name: `Verify ${name}` }).click(),
  ]);
  return response.json();
}

/** True when a secret shows anywhere in the page: its markup, or the value of any of its fields. */
const secretsShown = (page: Page) =>
  page.evaluate(
    (secrets) => {
      const values = [...document.querySelectorAll('input')].map((input) => input.value).join('\n');
      return secrets.filter((secret) => document.body.innerHTML.includes(secret) || values.includes(secret));
    },
    [client.clientSecret, client.refreshToken, wrongToken],
  );

describe('admin page: OAuth user credentials', () => {
  test('an admin adds an OAuth user credential with the keyboard alone, verifies it, and a wrong refresh token is refused clearly', async () => {
    const context = await contextFor(browser, amal);
    const { page, problems } = await trackedPage(context);
    await page.goto(`${server.url}/admin`);
    await page.getByText('No credentials yet').waitFor();

    // The kind is an accessible radio group: service account first; arrows choose, hidden fields leave.
    const kinds = page.getByRole('group', { name: 'Type of credential' });
    const oauth = kinds.getByRole('radio', { name: 'OAuth user' });
    expect(await kinds.getByRole('radio', { name: 'Service account (JSON key)' }).isChecked()).toBe(true);
    expect(await page.locator('#credential-google-oauth-client-secret').isHidden()).toBe(true);
    const form = googleForm(page);
    await form.getByLabel('Credential name', { exact: true }).focus();
    await typeAndTab(page, 'Amal’s drive');
    expect(await focusedId(page)).toBe('credential-google-choice-serviceAccount');
    await page.keyboard.press('ArrowDown');
    expect(await oauth.isChecked()).toBe(true);
    expect(await page.getByLabel('Service account key file (JSON)').isHidden()).toBe(true);
    for (const label of ['Client secret', 'Refresh token']) {
      const secret = form.getByLabel(label, { exact: true });
      expect(await secret.getAttribute('type')).toBe('password');
      expect(await secret.getAttribute('autocomplete')).toBe('off');
    }

    // Missing fields: the error shows beside the field, which takes focus and is described by it.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Enter the client ID').waitFor();
    expect(await focusedId(page)).toBe('credential-google-oauth-client-id');
    expect(await form.getByLabel('Client ID', { exact: true }).getAttribute('aria-describedby')).toContain(
      'credential-google-oauth-client-id-error',
    );
    expect(await seriousViolations(page)).toEqual([]);

    await enterOAuth(page, client.refreshToken);
    await expect
      .poll(() => announcer(page).textContent())
      .toMatch(
        /^Credential Amal’s drive added\. Fingerprint \S+\. The client secret and refresh token are not kept in this page\.$/,
      );
    const row = page.locator('tr[data-credential]', { hasText: 'Amal’s drive' });
    await row.getByText('Google OAuth user').waitFor();
    expect(await row.locator('.fingerprint').textContent()).toMatch(/\S{6,}/);
    expect(await secretsShown(page)).toEqual([]);
    // The form stays on the kind just used, emptied.
    expect(await oauth.isChecked()).toBe(true);
    expect(await form.getByLabel('Client ID', { exact: true }).inputValue()).toBe('');

    expect(await verify(page, 'Amal’s drive')).toEqual({ ok: true });
    await expect
      .poll(() => announcer(page).textContent())
      .toBe('Amal’s drive: Google accepted the credential.');
    await row.getByText(/^Verified /).waitFor();

    // A refresh token Google never issued: saved (the server cannot know), then refused at verification.
    await form.getByLabel('Credential name', { exact: true }).fill('Wrong token');
    await form.getByLabel('Client ID', { exact: true }).focus();
    await enterOAuth(page, wrongToken);
    await expect.poll(() => announcer(page).textContent()).toMatch(/^Credential Wrong token added\./);
    expect(await verify(page, 'Wrong token')).toEqual({
      ok: false,
      error: expect.stringContaining('invalid_grant'),
      advice: expect.stringMatching(/^Google did not accept the refresh token: /),
    });
    await expect
      .poll(() => announcer(page).textContent())
      .toMatch(/^Wrong token: refused \(.*invalid_grant.*\)\. Google did not accept the refresh token: /);
    const wrongRow = page.locator('tr[data-credential]', { hasText: 'Wrong token' });
    await wrongRow.getByText(/^Refused: .*invalid_grant/).waitFor();
    await wrongRow.getByText(/Delete this credential and add it again with a new refresh token\.$/).waitFor();
    // The good credential is untouched.
    await row.getByText(/^Verified /).waitFor();

    expect(await secretsShown(page)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
