import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ServerProcess } from '../helpers/serverProcess.ts';
import { portalToken } from '../helpers/tokens.ts';
import { seriousViolations } from './support/axe.ts';
import { editorText, trackedPage } from './support/browser.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { seedDocument, serverText } from './support/serverCopy.ts';
import { startServerAndBrowser } from './support/stack.ts';
import { contextFor, type TestUser } from './support/users.ts';

const ada: TestUser = { sub: 'u-ada', name: 'Ada Lovelace', role: 'edit' };
const bob: TestUser = { sub: 'u-bob', name: 'Bob Okafor', role: 'edit' };
const rita: TestUser = { sub: 'u-rita', name: 'Rita Reader', role: 'read' };

let server: ServerProcess;
let browser: Browser;
let counter = 0;
const freshDoc = (label: string) => `dept-a/${label}-${process.pid}-${++counter}`;

beforeAll(async () => {
  [server, browser] = await startServerAndBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(user: TestUser, name: string) {
  const context = await contextFor(browser, user);
  const { page, problems } = await trackedPage(context);
  await page.goto(`${server.url}/d/${name}`);
  return { context, page, problems };
}

const status = (page: Page) => page.locator('[data-status]');
const waitForState = (page: Page, state: string) =>
  page.locator(`[data-status][data-state="${state}"]`).waitFor();

describe('the web editor', () => {
  test('two users edit one document, converge, and see each other’s named carets', async () => {
    const name = freshDoc('converge');
    const a = await open(ada, name);
    const b = await open(bob, name);
    await Promise.all([waitForState(a.page, 'saved'), waitForState(b.page, 'saved')]);

    await a.page.locator('#editor').click();
    await a.page.keyboard.type('Hello from Ada. ');
    await b.page.locator('#editor').click();
    await b.page.keyboard.press('End');
    await Promise.all([a.page.keyboard.type('More from Ada.'), b.page.keyboard.type('Bob was here.')]);

    await Promise.all([waitForState(a.page, 'saved'), waitForState(b.page, 'saved')]);
    await expect
      .poll(async () => (await editorText(a.page)) === (await editorText(b.page)), { timeout: 10_000 })
      .toBe(true);
    const text = await editorText(a.page);
    expect(text).toContain('Hello from Ada.');
    expect(text).toContain('More from Ada.');
    expect(text).toContain('Bob was here.');
    expect(await serverText(server.wsUrl, name)).toBe(text.trim());

    await expect
      .poll(() => a.page.locator('.collaboration-carets__label', { hasText: 'Bob Okafor' }).count())
      .toBe(1);
    await expect
      .poll(() => b.page.locator('.collaboration-carets__label', { hasText: 'Ada Lovelace' }).count())
      .toBe(1);
    expect([...a.problems, ...b.problems]).toEqual([]);
    await Promise.all([a.context.close(), b.context.close()]);
  });

  test('a footnote is inserted from the keyboard, numbered, and its text typed in place', async () => {
    const name = freshDoc('footnote');
    const a = await open(ada, name);
    await waitForState(a.page, 'saved');
    await a.page.locator('#editor').click();
    await a.page.keyboard.type('A claim');
    await a.page.keyboard.press('Control+Alt+f');
    await a.page.keyboard.type('The source');
    await a.page.keyboard.press('Escape');
    await a.page.keyboard.type(' and more.');
    const note = a.page.locator('.docbridge-note[data-note-kind="footnote"][role="note"]');
    await expect.poll(() => note.textContent()).toBe('The source');
    expect(await note.evaluate((el) => getComputedStyle(el, '::before').getPropertyValue('content'))).toMatch(
      /counter\(footnote\)|"1"/,
    );
    await waitForState(a.page, 'saved');
    await expect.poll(() => serverText(server.wsUrl, name)).toBe('A claimThe source and more.');
    await a.page.getByRole('button', { name: 'Insert footnote' }).click();
    await a.page.keyboard.type('Second');
    await expect.poll(() => note.count()).toBe(2);
    expect(await seriousViolations(a.page)).toEqual([]);
    expect(a.problems).toEqual([]);
    await a.context.close();
  });

  test('edits made offline merge without loss when the browser comes back online', async () => {
    const name = freshDoc('offline');
    const a = await open(ada, name);
    const b = await open(bob, name);
    await Promise.all([waitForState(a.page, 'saved'), waitForState(b.page, 'saved')]);

    await a.context.setOffline(true);
    await waitForState(a.page, 'offline');
    await a.page.locator('#editor').click();
    await a.page.keyboard.type('Written offline by Ada.');
    await expect(status(a.page).textContent()).resolves.toMatch(/changes are kept here/);
    await b.page.locator('#editor').click();
    await b.page.keyboard.type('Written online by Bob.');
    await waitForState(b.page, 'saved');
    // While Ada is offline, her edit must not have reached the server or Bob.
    expect(await serverText(server.wsUrl, name)).not.toContain('Ada');
    expect(await editorText(b.page)).not.toContain('Ada');

    await a.context.setOffline(false);
    await waitForState(a.page, 'saved');
    await expect.poll(() => editorText(b.page)).toContain('Written offline by Ada.');
    const merged = await serverText(server.wsUrl, name);
    expect(merged).toContain('Written offline by Ada.');
    expect(merged).toContain('Written online by Bob.');
    expect(await editorText(a.page)).toBe(await editorText(b.page));
    await Promise.all([a.context.close(), b.context.close()]);
  });

  test('"Saved" shows only once the server has acknowledged the edit', async () => {
    const name = freshDoc('ack');
    const context = await contextFor(browser, ada);
    const page = await context.newPage();
    // Proxy the editor's socket so the server's messages to the page can be held back.
    let holding = false;
    const held: (() => void)[] = [];
    await page.routeWebSocket(/\/collab$/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => upstream.send(message));
      upstream.onMessage((message) => {
        if (holding) held.push(() => ws.send(message));
        else ws.send(message);
      });
    });
    await page.goto(`${server.url}/d/${name}`);
    await waitForState(page, 'saved');

    holding = true;
    await page.locator('#editor').click();
    await page.keyboard.type('Durable words');
    await waitForState(page, 'saving');
    // The update reached the server (another client reads it back) but its acknowledgement is held back:
    // the page must still say "Saving…".
    await expect.poll(() => serverText(server.wsUrl, name)).toContain('Durable words');
    expect(await status(page).getAttribute('data-state')).toBe('saving');
    expect(Number(await status(page).getAttribute('data-unsynced'))).toBeGreaterThan(0);
    expect(await status(page).textContent()).toBe('Saving…');

    holding = false;
    for (const release of held.splice(0)) release();
    await waitForState(page, 'saved');
    expect(await status(page).getAttribute('data-unsynced')).toBe('0');
    await context.close();
  });

  test('a read-only user sees the document but cannot change it', async () => {
    const name = freshDoc('readonly');
    await seedDocument(server.wsUrl, name, {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Published text.' }] }],
    });
    const r = await open(rita, name);
    await waitForState(r.page, 'read-only');
    expect(await editorText(r.page)).toBe('Published text.');
    expect(await r.page.locator('#editor').getAttribute('contenteditable')).toBe('false');
    expect(await r.page.locator('[role="toolbar"]').isHidden()).toBe(true);

    await r.page.locator('#editor').click();
    await r.page.keyboard.type('Vandalism');
    await r.page.keyboard.press('Control+a');
    await r.page.keyboard.press('Delete');
    expect(await editorText(r.page)).toBe('Published text.');

    // An editor's later change arrives at the reader, and the server copy holds no trace of the reader's keys.
    const a = await open(ada, name);
    await waitForState(a.page, 'saved');
    await a.page.locator('#editor').click();
    await a.page.keyboard.press('Control+End');
    await a.page.keyboard.type(' Updated.');
    await waitForState(a.page, 'saved');
    await expect.poll(() => editorText(r.page)).toBe('Published text. Updated.');
    expect(await serverText(server.wsUrl, name)).toBe('Published text. Updated.');
    expect(r.problems).toEqual([]);
    await Promise.all([r.context.close(), a.context.close()]);
  });

  test('links refuse javascript: and pasted HTML loses scripts but keeps structure', async () => {
    const name = freshDoc('safety');
    const a = await open(ada, name);
    await waitForState(a.page, 'saved');
    await a.page.locator('#editor').click();
    await a.page.keyboard.type('Click me');
    await a.page.keyboard.press('Shift+Home');
    await a.page.keyboard.press('Control+k');
    await a.page.getByLabel('Link address').fill('javascript:alert(1)');
    await a.page.getByRole('button', { name: 'Apply link' }).click();
    await expect.poll(() => a.page.locator('.error-message').isVisible()).toBe(true);
    await a.page.getByLabel('Link address').fill('www.gov.uk/guidance');
    await a.page.getByRole('button', { name: 'Apply link' }).click();
    await expect
      .poll(() => a.page.locator('#editor a').getAttribute('href'))
      .toBe('https://www.gov.uk/guidance');

    await a.page.keyboard.press('End');
    await a.page.keyboard.press('Enter');
    await a.page.evaluate(() => {
      const data = new DataTransfer();
      data.setData(
        'text/html',
        '<h2>From Word</h2><script>window.pwned = 1</script><ul><li>one</li><li>two</li></ul><p><a href="javascript:alert(1)">bad</a> <img src="x" onerror="window.pwned = 2"></p>',
      );
      document
        .querySelector('#editor')
        ?.dispatchEvent(
          new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
        );
    });
    await expect.poll(() => a.page.locator('#editor h2').textContent()).toBe('From Word');
    expect(await a.page.locator('#editor ul li').count()).toBe(2);
    expect(await a.page.locator('#editor a[href^="javascript"]').count()).toBe(0);
    expect(await a.page.locator('#editor img:not(.ProseMirror-separator)').count()).toBe(0);
    expect(await a.page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    await a.context.close();
  });

  test('the editor has no serious accessibility violations (axe-core) and is screenshotted', async () => {
    const name = 'dept-a/quarterly-report';
    await seedDocument(server.wsUrl, name, sampleDocument);
    const renamed = await fetch(`${server.url}/api/documents/${name}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${await tokenOf(ada)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Quarterly report' }),
    });
    expect(renamed.status).toBe(200);
    const b = await open(bob, name);
    const a = await open(ada, name);
    await Promise.all([waitForState(a.page, 'saved'), waitForState(b.page, 'saved')]);
    await b.page.locator('#editor p').first().click();
    await a.page.locator('#editor h2').first().click();
    expect(await a.page.locator('h1[data-title]').textContent()).toBe('Quarterly report');
    await expect
      .poll(() => a.page.locator('.collaboration-carets__label', { hasText: 'Bob Okafor' }).count())
      .toBe(1);
    expect(await a.page.locator('.docbridge-atom').count()).toBeGreaterThan(0);
    expect(await seriousViolations(a.page)).toEqual([]);
    await saveScreenshot(a.page, 'editor');
    // Narrow screens (320 px): no horizontal scrolling of the page.
    await a.page.setViewportSize({ width: 320, height: 640 });
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect([...a.problems, ...b.problems]).toEqual([]);
    await Promise.all([a.context.close(), b.context.close()]);
  });
});

function tokenOf(user: TestUser, tenant = 'dept-a'): Promise<string> {
  return portalToken({ sub: user.sub, name: user.name, tenant, docs: { [`${tenant}/*`]: user.role } });
}

describe('the documents API', () => {
  test('creates, lists and renames within the caller’s tenant only', async () => {
    const call = async (token: string, path: string, init: RequestInit = {}) => {
      const response = await fetch(`${server.url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const created = await call(await tokenOf(ada), '/api/documents', {
      method: 'POST',
      body: JSON.stringify({ title: 'Road plan' }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ title: 'Road plan', role: 'edit' });
    expect(String(created.body.name)).toMatch(/^dept-a\/road-plan-[a-z0-9]+$/);
    const listed = await call(await tokenOf(rita), '/api/documents');
    expect(listed.body.documents).toContainEqual({
      name: created.body.name,
      title: 'Road plan',
      role: 'read',
    });
    expect(
      (
        await call(await tokenOf(rita), '/api/documents', {
          method: 'POST',
          body: JSON.stringify({ title: 'No' }),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await call(await tokenOf(rita), `/api/documents/${created.body.name}`, {
          method: 'PATCH',
          body: JSON.stringify({ title: 'No' }),
        })
      ).status,
    ).toBe(403);
    const outsider = await tokenOf(bob, 'dept-b');
    expect((await call(outsider, `/api/documents/${created.body.name}`)).status).toBe(403);
    expect(
      (
        await call(outsider, `/api/documents/${created.body.name}`, {
          method: 'PATCH',
          body: JSON.stringify({ title: 'Mine' }),
        })
      ).status,
    ).toBe(403);
    expect((await call(outsider, '/api/documents')).body.documents).toEqual([]);
    expect((await call('not-a-token', '/api/documents')).status).toBe(401);
  });
});

const sampleDocument = {
  type: 'doc',
  content: [
    {
      type: 'heading',
      attrs: { level: 1, blockStyle: 'title' },
      content: [{ type: 'text', text: 'Quarterly report' }],
    },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Spending stayed within ' },
        { type: 'text', marks: [{ type: 'bold' }], text: 'budget' },
        { type: 'text', text: ' this quarter' },
        {
          type: 'atomInline',
          attrs: { kind: 'footnote', label: '1', source: 'docx', payload: '<w:footnoteReference w:id="1"/>' },
        },
        { type: 'text', text: '. See the ' },
        { type: 'text', marks: [{ type: 'link', attrs: { href: 'https://www.gov.uk' } }], text: 'guidance' },
        { type: 'text', text: '.' },
      ],
    },
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Highlights' }] },
    {
      type: 'bulletList',
      content: ['Two new services launched', 'Average wait down to 4 days'].map((text) => ({
        type: 'listItem',
        content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
      })),
    },
    {
      type: 'table',
      content: [
        ['Team', 'Spend'],
        ['Digital', '£1.2m'],
      ].map((cells, row) => ({
        type: 'tableRow',
        content: cells.map((text) => ({
          type: row === 0 ? 'tableHeader' : 'tableCell',
          content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
        })),
      })),
    },
    { type: 'atomBlock', attrs: { kind: 'equation', label: 'E = mc²', source: 'gdocs', payload: '{}' } },
  ],
};
