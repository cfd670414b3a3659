import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServerProcess } from '../helpers/serverProcess.ts';
import { portalToken } from '../helpers/tokens.ts';
import { seriousViolations } from './support/axe.ts';
import { editorText, trackedPage } from './support/browser.ts';
import { serverText } from './support/serverCopy.ts';
import { startServerAndBrowser } from './support/stack.ts';
import { contextFor, type TestUser } from './support/users.ts';

const ada: TestUser = { sub: 'u-ada', name: 'Ada Lovelace', role: 'edit' };
const bob: TestUser = { sub: 'u-bob', name: 'Bob Okafor', role: 'edit' };

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await startServerAndBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(user: TestUser, path: string) {
  const context = await contextFor(browser, user);
  const { page, problems } = await trackedPage(context);
  await page.goto(`${server.url}${path}`);
  return { context, page, problems };
}
const saved = (page: Page) => page.locator('[data-status][data-state="saved"]').waitFor();

describe('import and version history in the browser', () => {
  test('importing a Markdown file on the documents page creates a document with its content', async () => {
    const { context, page, problems } = await open(ada, '/');
    const file = page.getByLabel('Import a file as a new document');
    await file.setInputFiles({
      name: 'broken.docx',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('not a word document'),
    });
    await page.getByRole('button', { name: 'Import document' }).click();
    await page.getByText(/The file could not be read \((DOCX|ZIP)_[A-Z_]+\)/).waitFor();

    await file.setInputFiles({
      name: 'Meeting notes.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Meeting notes\n\nAgreed the **budget** for 2027.\n\n- Send minutes\n'),
    });
    await page.getByRole('button', { name: 'Import document' }).click();
    await page.waitForURL(/\/d\/dept-a\/meeting-notes-[a-z0-9]+$/);
    await saved(page);
    expect(await page.locator('h1[data-title]').textContent()).toBe('Meeting notes');
    expect(await editorText(page)).toBe('Meeting notes\nAgreed the budget for 2027.\nSend minutes');
    expect(await page.locator('#editor strong').textContent()).toBe('budget');
    // The 400 of the broken file is an expected refusal the page explained.
    expect(problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    await context.close();
  });

  test('restoring a version brings the old text back as a new edit that another client sees', async () => {
    const name = `dept-a/restore-${process.pid}`;
    const a = await open(ada, `/d/${name}`);
    const b = await open(bob, `/d/${name}`);
    await Promise.all([saved(a.page), saved(b.page)]);
    await a.page.locator('#editor').click();
    await a.page.keyboard.type('Old text that matters.');
    await saved(a.page);

    await a.page.getByRole('button', { name: 'Document' }).click();
    await a.page.getByRole('button', { name: 'Save a version…' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Version history' });
    const nameField = dialog.getByLabel('Name for a new version');
    expect(await nameField.evaluate((element) => element === document.activeElement)).toBe(true);
    await nameField.fill('Before rewrite');
    await dialog.getByRole('button', { name: 'Save version' }).click();
    await dialog.getByText('Version “Before rewrite” saved.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await a.page.locator('#editor').click();
    await a.page.keyboard.press('Control+a');
    await a.page.keyboard.type('Rewritten completely.');
    await saved(a.page);
    await expect.poll(() => editorText(b.page)).toBe('Rewritten completely.');

    await a.page.getByRole('button', { name: 'Document' }).click();
    await a.page.getByRole('button', { name: 'Version history…' }).click();
    await dialog.getByRole('button', { name: /^Preview Before rewrite/ }).click();
    const preview = dialog.getByRole('document', { name: 'Preview of Before rewrite' });
    await preview.getByText('Old text that matters.').waitFor();
    expect(await preview.getAttribute('contenteditable')).toBe('false');
    expect(await seriousViolations(a.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Restore this version' }).click();
    await dialog.getByRole('button', { name: 'Yes, restore “Before rewrite”' }).click();
    await expect
      .poll(() => a.page.locator('[data-notice]').textContent())
      .toBe('Version “Before rewrite” restored. Everyone editing sees the change.');

    // Bob never reloaded: the restore reached him as an ordinary edit over his open connection.
    await expect.poll(() => editorText(b.page)).toBe('Old text that matters.');
    expect(await editorText(a.page)).toBe('Old text that matters.');
    expect(await serverText(server.wsUrl, name)).toBe('Old text that matters.');
    // Nothing was rewritten: the replaced text is itself a version now, and Bob can keep typing on top.
    const token = await portalToken({ sub: 'u-check', docs: { 'dept-a/*': 'read' } });
    const list = (await (
      await fetch(`${server.url}/api/documents/${name}/versions`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { versions: { name: string | null }[] };
    expect(list.versions.map((v) => v.name)).toEqual([null, 'Before rewrite']);
    await b.page.locator('#editor').click();
    await b.page.keyboard.press('End');
    await b.page.keyboard.type(' Bob adds.');
    await saved(b.page);
    await expect.poll(() => editorText(a.page)).toBe('Old text that matters. Bob adds.');
    expect([...a.problems, ...b.problems]).toEqual([]);
    await Promise.all([a.context.close(), b.context.close()]);
  });
});
