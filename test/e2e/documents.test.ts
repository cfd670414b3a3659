import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { seriousViolations } from './support/axe.ts';
import { launchBrowser, trackedPage } from './support/browser.ts';
import { prepareClient } from './support/client.ts';
import { saveScreenshot } from './support/screenshots.ts';

let server: ServerProcess;
let browser: Browser;
let signInLink: string;

beforeAll(async () => {
  await prepareClient();
  // Local mode, as `npm start` runs on a fresh clone: the user signs in with the printed link.
  [server, browser] = await Promise.all([
    startServerProcess({ DOCBRIDGE_DATA_DIR: tempDataDir() }),
    launchBrowser(),
  ]);
  await waitFor(() => /\/signin\?code=\S+/.test(server.output()), 'the sign-in link');
  signInLink = /(http:\/\/\S+\/signin\?code=\S+)/.exec(server.output())![1]!;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const row = (page: Page, title: string) => page.locator('tbody tr', { hasText: title });

describe('the documents page', () => {
  test('a signed-in user creates, opens and renames documents', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
    const { page, problems } = await trackedPage(context);
    await page.goto(signInLink);
    await page.getByRole('heading', { name: 'Your documents' }).waitFor();
    expect(new URL(page.url()).search).toBe('');

    // Empty title: an error linked to the field, focus stays there.
    await page.getByRole('button', { name: 'Create document' }).click();
    await page.getByText('Enter a title for the document').waitFor();

    await page.getByLabel('Title of a new document').fill('Budget 2027');
    await page.getByRole('button', { name: 'Create document' }).click();
    await page.waitForURL(/\/d\/local\/budget-2027-[a-z0-9]+$/);
    await page.locator('[data-status][data-state="saved"]').waitFor();
    expect(await page.locator('h1[data-title]').textContent()).toBe('Budget 2027');
    await page.locator('#editor').click();
    await page.keyboard.type('Draft figures for next year.');
    await page.locator('[data-status][data-state="saved"]').waitFor();

    await page.getByRole('link', { name: 'All documents' }).click();
    await row(page, 'Budget 2027').waitFor();
    await page.getByRole('button', { name: 'Rename Budget 2027' }).click();
    const input = page.getByLabel('New title for Budget 2027');
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);
    await input.fill('Budget 2027 (final)');
    await page.getByRole('button', { name: 'Save title' }).click();
    await row(page, 'Budget 2027 (final)').waitFor();

    await page.getByLabel('Title of a new document').fill('Meeting notes');
    await page.getByRole('button', { name: 'Create document' }).click();
    await page.waitForURL(/\/d\/local\/meeting-notes-/);
    await page.goto(new URL('/', page.url()).href);
    await row(page, 'Meeting notes').waitFor();
    await row(page, 'Budget 2027 (final)').getByRole('link').click();
    await page.locator('[data-status][data-state="saved"]').waitFor();
    await expect.poll(() => page.locator('#editor').textContent()).toBe('Draft figures for next year.');

    await page.goto(new URL('/', page.url()).href);
    await row(page, 'Meeting notes').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await saveScreenshot(page, 'documents');
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('keyboard only: skip link, then Tab reaches the forms and the documents in order', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(signInLink);
    await page.getByRole('heading', { name: 'Your documents' }).waitFor();
    await page.locator('table').waitFor();
    const focused = async () =>
      page.evaluate(
        () => document.activeElement?.textContent?.trim() || document.activeElement?.getAttribute('id'),
      );
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('new-title');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Create document');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('import-file');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('Import document');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toMatch(/^\/d\/local\//);
    await context.close();
  });

  test('without a session the pages say how to sign in', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByText('You are not signed in.').waitFor();
    await page.goto(`${server.url}/d/local/demo`);
    await page.getByText('You need to sign in to open this document.').waitFor();
    expect(await page.locator('#editor').count()).toBe(0);
    await context.close();
  });
});
