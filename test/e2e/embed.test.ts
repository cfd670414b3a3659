import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';
import { launchBrowser, trackedPage } from './support/browser.ts';
import { prepareClient } from './support/client.ts';
import { serverText } from './support/serverCopy.ts';

interface Recorded {
  name: string;
  detail: { code?: string; state?: string };
}

let server: ServerProcess;
let browser: Browser;
let portal: Server;
let stranger: Server;

/**
 * A department portal on its own origin: it mints the user's token server-side and puts the element in the
 * page. The page script records the element's events for the test.
 */
function startPortal(): Promise<Server> {
  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://portal');
    if (url.pathname === '/record.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(`window.events = [];
        for (const element of document.querySelectorAll('docbridge-editor'))
          for (const name of ['ready', 'saved', 'sync-status', 'error'])
            element.addEventListener(name, (event) => window.events.push({ name, detail: event.detail }));`);
      return;
    }
    const doc = url.searchParams.get('doc') ?? 'dept-a/embedded';
    const token = await portalToken({
      sub: 'u-pat',
      name: 'Pat Portal',
      tenant: 'dept-a',
      docs: { [doc]: 'edit' },
    });
    const raw = url.searchParams.has('raw')
      ? `<iframe id="raw" title="raw" src="${server.url}/embed/${doc}"></iframe>`
      : '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><title>Portal</title></head><body>
      <h1>Department portal</h1>
      <docbridge-editor document="${doc}" token="${token}" toolbar="off"></docbridge-editor>
      ${raw}
      <script src="/record.js"></script>
      <script src="${server.url}/embed.js"></script>
      </body></html>`);
  });
  return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(http)));
}

const originOf = (http: Server) => `http://127.0.0.1:${(http.address() as AddressInfo).port}`;

beforeAll(async () => {
  await prepareClient();
  [portal, stranger, browser] = await Promise.all([startPortal(), startPortal(), launchBrowser()]);
  server = await startServerProcess({
    DOCBRIDGE_DATA_DIR: tempDataDir(),
    DOCBRIDGE_JWT_SECRET: TEST_SECRET,
    HOST: '127.0.0.1',
    DOCBRIDGE_ALLOWED_ORIGINS: originOf(portal),
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  portal?.close();
  stranger?.close();
});

const events = (page: Page) => page.evaluate(() => (window as unknown as { events: Recorded[] }).events);
const editorFrame = (page: Page): Frame | undefined =>
  page.frames().find((frame) => frame.url().includes('/embed/'));

describe('embedding in a portal', () => {
  test('an allowed portal embeds the editor: token by postMessage, events on the element', async () => {
    const context = await browser.newContext();
    const { page, problems } = await trackedPage(context);
    await page.goto(`${originOf(portal)}/?doc=dept-a/embedded`);
    await expect
      .poll(async () => (await events(page)).some((event) => event.name === 'ready'), { timeout: 15_000 })
      .toBe(true);
    const frame = editorFrame(page)!;
    expect(frame.url()).toBe(`${server.url}/embed/dept-a/embedded`);
    expect(await frame.locator('[role="toolbar"]').isHidden()).toBe(true);

    await frame.locator('#editor').click();
    await page.keyboard.type('Typed inside the portal.');
    await expect.poll(async () => (await events(page)).some((event) => event.name === 'saved')).toBe(true);
    const states = async () =>
      (await events(page)).filter((e) => e.name === 'sync-status').map((e) => e.detail.state);
    expect(await states()).toContain('saving');
    // Typing may be acknowledged in several rounds (saving, saved, saving...): it ends saved.
    await expect.poll(async () => (await states()).at(-1)).toBe('saved');
    expect(await serverText(server.wsUrl, 'dept-a/embedded')).toBe('Typed inside the portal.');
    expect((await events(page)).filter((e) => e.name === 'error')).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  test('a page on an origin that is not allowed is refused, by the element and by the frame policy', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${originOf(stranger)}/?doc=dept-a/embedded&raw`);
    await expect
      .poll(async () => (await events(page)).find((event) => event.name === 'error')?.detail.code)
      .toBe('origin-not-allowed');
    // The raw iframe is blocked by frame-ancestors: it never shows the editor.
    const raw = page.locator('#raw');
    await raw.waitFor();
    const frame = await (await raw.elementHandle())!.contentFrame();
    await frame?.waitForLoadState();
    expect(await frame?.locator('[data-status]').count()).toBe(0);
    expect(
      editorFrame(page)?.url().startsWith(server.url) &&
        (await editorFrame(page)!.locator('#editor').count()),
    ).toBeFalsy();
    expect(await serverText(server.wsUrl, 'dept-a/embedded')).toBe('Typed inside the portal.');
    await context.close();
  });
});
