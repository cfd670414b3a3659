import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../helpers/serverProcess.ts';
import { seriousViolations } from './support/axe.ts';
import { trackedPage } from './support/browser.ts';
import { OFFICE_JS_URL, routeOfficeJs } from './support/officeJsRoute.ts';
import { startServerAndBrowser } from './support/stack.ts';

const FILE_URL = 'https://contoso.sharepoint.com/sites/policy/Shared%20Documents/paper.docx';

let server: ServerProcess;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await startServerAndBrowser();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Word add-in task pane', () => {
  it('is served with Office.js and Word for the web allowed, and its icons at fixed addresses', async () => {
    const pane = await fetch(`${server.url}/word-addin/taskpane.html`);
    expect(pane.status).toBe(200);
    const csp = pane.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' https://appsforoffice.microsoft.com;");
    expect(csp).toMatch(/frame-ancestors 'self'.* https:\/\/\*\.officeapps\.live\.com/);
    expect(csp).toContain('https://*.sharepoint.com');
    expect(pane.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(await pane.text()).toContain(`<script src="${OFFICE_JS_URL}"></script>`);
    // The rest of the client keeps the strict policy.
    const home = await fetch(`${server.url}/`);
    expect(home.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(home.headers.get('content-security-policy')).not.toContain('officeapps');
    expect(home.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    for (const size of [16, 32, 64, 80]) {
      const icon = await fetch(`${server.url}/word-addin/icon-${size}.png`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get('content-type')).toBe('image/png');
    }
  });

  it('says so when it is opened outside Word', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.route(OFFICE_JS_URL, (route) => route.abort());
    await page.goto(`${server.url}/word-addin/taskpane.html`);
    await expect.poll(() => page.locator('[data-problem="no-office"]').count(), { timeout: 20_000 }).toBe(1);
    await context.close();
  });

  it('explains a failed single sign-on in words, and passes axe-core', async () => {
    const context = await browser.newContext({ viewport: { width: 340, height: 700 } });
    const { page, problems } = await trackedPage(context);
    await routeOfficeJs(page, {
      paragraphs: ['Hello'],
      url: FILE_URL,
      requirements: { WordApi: '1.6', IdentityAPI: '1.3' },
      accessToken: null,
    });
    await page.goto(`${server.url}/word-addin/taskpane.html`);
    const problem = page.locator('[data-problem="sso-unavailable"]');
    await expect.poll(() => problem.count(), { timeout: 20_000 }).toBe(1);
    expect(await problem.textContent()).toContain('could not sign you in');
    expect(await seriousViolations(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
