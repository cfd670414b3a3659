import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readDocx } from '../../connectors/microsoft/docx/index.ts';
import { createServiceAccount } from '../helpers/googleCredentials.ts';
import { type GoogleDocJson, googleParagraphs } from '../helpers/googleDocs.ts';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from '../helpers/googleEmulatorProcess.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../helpers/tokens.ts';
import { seriousViolations } from './support/axe.ts';
import { editorText, launchBrowser, trackedPage } from './support/browser.ts';
import { prepareClient } from './support/client.ts';
import { saveScreenshot } from './support/screenshots.ts';
import { seedDocument } from './support/serverCopy.ts';
import { contextFor, type TestUser } from './support/users.ts';

const SERVICE_ACCOUNT = 'docbridge-sync@dept-a-project.iam.gserviceaccount.com';
const amal: TestUser = { sub: 'u-amal', name: 'Amal Admin', role: 'edit', admin: true };
const ed: TestUser = { sub: 'u-ed', name: 'Ed Editor', role: 'edit' };

let emulator: GoogleEmulatorProcess;
let server: ServerProcess;
let browser: Browser;
let keyFile: string;
let portal: Server;
/** The document linked by the first test, reused by the editor tests. */
let linked: { name: string; googleId: string };

/** A department portal embedding `?doc=` with `<docbridge-editor>`, recording its sync-status events. */
function startPortal(): Promise<Server> {
  const http = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://portal');
    if (url.pathname === '/record.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(`window.events = [];
        document.querySelector('docbridge-editor')
          .addEventListener('sync-status', (event) => window.events.push(event.detail));`);
      return;
    }
    const doc = url.searchParams.get('doc') ?? '';
    const token = await portalToken({ sub: 'u-pat', name: 'Pat Portal', docs: { [doc]: 'edit' } });
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html lang="en"><head><title>Portal</title></head><body>
      <docbridge-editor document="${doc}" token="${token}"></docbridge-editor>
      <script src="/record.js"></script><script src="${server.url}/embed.js"></script></body></html>`);
  });
  return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(http)));
}
const portalOrigin = () => `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;

beforeAll(async () => {
  await prepareClient();
  portal = await startPortal();
  [emulator, server, browser] = await Promise.all([
    startGoogleEmulatorProcess(),
    startServerProcess({
      DOCBRIDGE_DATA_DIR: tempDataDir(),
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      HOST: '127.0.0.1',
      DOCBRIDGE_ALLOWED_ORIGINS: portalOrigin(),
    }),
    launchBrowser(),
  ]);
  // The key file an administrator downloads from the Google Cloud console, made for (and trusted by) the emulator.
  keyFile = join(mkdtempSync(join(tmpdir(), 'docbridge-key-')), 'docbridge-sync.json');
  writeFileSync(keyFile, JSON.stringify(await createServiceAccount(emulator, SERVICE_ACCOUNT), null, 2));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await emulator?.stop();
  portal?.close();
});

/** A registered document of dept-a, created through the documents API as the web client does. */
async function newDocument(title: string): Promise<string> {
  const token = await portalToken({ sub: 'u-amal', docs: { 'dept-a/*': 'edit' } });
  const response = await fetch(`${server.url}/api/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  return ((await response.json()) as { name: string }).name;
}

async function newGoogleDoc(text: string): Promise<string> {
  const { documentId } = await emulator.control<{ documentId: string }>('/control/documents', {
    title: 'Linked',
    owner: SERVICE_ACCOUNT,
    requests: [{ insertText: { location: { index: 1 }, text } }],
  });
  return documentId;
}

const googleText = async (id: string) =>
  googleParagraphs(await emulator.control<GoogleDocJson>(`/control/documents/${id}`)).join('\n');
const announcer = (page: Page) => page.locator('[data-announcer]');
const docsUrl = (id: string) => `https://docs.google.com/document/d/${id}/edit`;

/** Chooses the option of the `<select>` labelled `label` whose text starts with `prefix`. */
async function choose(page: Page, label: string, prefix: string) {
  const select = page.getByLabel(label, { exact: true });
  const optionValue = () =>
    select.evaluate(
      (element, start) =>
        [...(element as HTMLSelectElement).options].find((option) => option.text.startsWith(start))?.value ??
        '',
      prefix,
    );
  // The choices load after the page: wait for the option to be there.
  await expect.poll(optionValue, { message: `option ${prefix} in ${label}` }).not.toBe('');
  await select.selectOption(await optionValue());
}

async function linkThroughForm(page: Page, title: string, url: string) {
  await choose(page, 'Document', `${title} (`);
  await page.getByLabel('Address of the Google Doc').fill(url);
  await page.getByRole('button', { name: /^Link (document|with this choice)$/ }).click();
}

describe('admin pages with the Google emulator', () => {
  test('an admin registers a key file, links a document by URL and sees it synced', async () => {
    const name = await newDocument('Budget 2027');
    const googleId = await newGoogleDoc('Budget from Google');
    linked = { name, googleId };
    const context = await contextFor(browser, amal);
    const { page, problems } = await trackedPage(context);
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { name: 'Administration', level: 1 }).waitFor();
    await page.getByText('No credentials yet').waitFor();

    // Credential: name, key file, and the emulator's endpoints under "Advanced settings".
    await page.getByRole('button', { name: 'Add credential' }).click();
    await page.getByText('Enter a name for the credential').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Policy unit');
    await page.getByLabel('Service account key file (JSON)').setInputFiles(keyFile);
    await page.getByText('Advanced settings').click();
    await page.getByLabel('Docs API address').fill(emulator.url);
    await page.getByLabel('Drive API address').fill(emulator.url);
    await page.getByLabel('Token address').fill(emulator.tokenUrl);
    await page.getByRole('button', { name: 'Add credential' }).click();
    await expect
      .poll(() => announcer(page).textContent())
      .toMatch(/Credential Policy unit added\. Fingerprint \S+/);
    const row = page.locator('tr[data-credential]', { hasText: SERVICE_ACCOUNT });
    await row.getByText(SERVICE_ACCOUNT).waitFor();
    // Write-only: the page never shows the private key again, only the fingerprint.
    const key = JSON.parse(readFileSync(keyFile, 'utf8')) as { private_key: string };
    expect(await page.content()).not.toContain(key.private_key.split('\n')[1]);
    await page.getByRole('button', { name: 'Verify Policy unit' }).click();
    // The first use of a Google credential loads the Google connector: give it time on a busy machine.
    await expect
      .poll(() => announcer(page).textContent(), { timeout: 15_000 })
      .toBe('Policy unit: Google accepted the credential.');
    await row.getByText(/^Verified /).waitFor();

    // A SharePoint address with a Google credential: the form names the credential it needs.
    await choose(page, 'Credential', 'Policy unit');
    await linkThroughForm(page, 'Budget 2027', 'https://contoso.sharepoint.com/:w:/r/sites/x/Doc.docx');
    await page.getByText('That is a Word file address: choose a Microsoft Word').waitFor();

    // A Microsoft credential from its own form: secret sent once, listed as an Entra app.
    await page.getByLabel('Credential name').fill('Press office (Microsoft 365)');
    await page.getByLabel('Directory (tenant) ID').fill('6e1f2a3b-0c4d-4e5f-8a9b-0c1d2e3f4a5b');
    await page.getByLabel('Application (client) ID').fill('0f9e8d7c-6b5a-4938-a726-150493827160');
    // Not a GUID: refused beside its field; then the add-in's client id.
    const addin = page.getByLabel('Word add-in client ID (optional)');
    await addin.fill('api://docs.example/abc');
    await page.getByRole('button', { name: 'Add Microsoft credential' }).click();
    await page.getByText('Enter the add-in’s application (client) ID, a GUID').waitFor();
    await addin.fill('7c0ffee0-1234-4abc-8def-0123456789ab');
    await page.getByRole('radio', { name: 'Client secret' }).check();
    await page.getByLabel('Client secret value').fill('e2e~secret~value');
    await page.getByRole('button', { name: 'Add Microsoft credential' }).click();
    await expect
      .poll(() => announcer(page).textContent())
      .toMatch(/Credential Press office \(Microsoft 365\) added\. Fingerprint \S+/);
    await page.locator('tr[data-credential]').getByText('Microsoft Entra app (client secret)').waitFor();
    expect(await page.content()).not.toContain('e2e~secret~value');

    await linkThroughForm(page, 'Budget 2027', docsUrl(googleId));
    await expect
      .poll(() => announcer(page).textContent(), { timeout: 15_000 })
      .toMatch(/^Budget 2027 linked: /);
    await page.locator(`tr[data-link] [data-link-status="synced"]`).waitFor({ timeout: 20_000 });
    const linkRow = page.locator('tr[data-link]', { hasText: 'Budget 2027' });
    expect(await linkRow.getByRole('link', { name: /Google Doc/ }).getAttribute('href')).toBe(
      docsUrl(googleId),
    );
    // The outcome reaches screen readers: "linked: Synced", or "linked: Linking" then "Budget 2027: Synced".
    await expect.poll(() => announcer(page).textContent()).toMatch(/^Budget 2027( linked)?: Synced/);

    // Both sides hold text: the page asks which wins, then links with that choice.
    const both = await newDocument('Minutes');
    await seedDocument(server.wsUrl, both, {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Local minutes' }] }],
    });
    const otherGoogle = await newGoogleDoc('Remote minutes');
    await page.reload();
    await linkThroughForm(page, 'Minutes', docsUrl(otherGoogle));
    await page.getByRole('group', { name: 'Both documents already hold text. Which should win?' }).waitFor();
    await page.getByLabel('Keep both texts').check();
    await linkThroughForm(page, 'Minutes', docsUrl(otherGoogle));
    await page
      .locator('tr[data-link]', { hasText: 'Minutes' })
      .locator('[data-link-status="synced"]')
      .waitFor({ timeout: 20_000 });
    await expect.poll(() => googleText(otherGoogle), { timeout: 15_000 }).toContain('Local minutes');

    // The audit log shows what happened, a page at a time (20 entries a page: 21 verifications make two).
    const admin = await portalToken({ sub: 'u-amal', admin: true, docs: { 'dept-a/*': 'edit' } });
    const credentialId = await row.getAttribute('data-credential');
    for (let n = 0; n < 21; n++) {
      await fetch(`${server.url}/api/credentials/${credentialId}/verify`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
      });
    }
    await page.reload();
    const audit = page.locator('[aria-labelledby="audit-title"]');
    await audit.getByText('Entries, page 1').waitFor();
    expect(await audit.locator('tr[data-audit]').count()).toBe(20);
    expect(await audit.getByRole('button', { name: 'Newer entries' }).isDisabled()).toBe(true);
    await audit.getByRole('button', { name: 'Older entries' }).click();
    await audit.getByText('Entries, page 2').waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Entries, page 2');
    await audit.getByText('link.create').first().waitFor();
    // The Google and the Microsoft credential.
    expect(await audit.getByText('credential.create').count()).toBe(2);
    await audit.getByRole('button', { name: 'Newer entries' }).click();
    await audit.getByText('Entries, page 1').waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    // The screenshot shows the top of the page: credentials, then the linked documents.
    await page.setViewportSize({ width: 1100, height: 1400 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await saveScreenshot(page, 'admin');
    await page.setViewportSize({ width: 1100, height: 760 });

    // Unlink and delete: the second link goes, then the credential (which still has a link: asks first).
    await page.getByRole('button', { name: 'Unlink Minutes' }).click();
    await expect.poll(() => page.locator('tr[data-link]').count()).toBe(1);
    await page.getByRole('button', { name: 'Delete Policy unit' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('button', { name: 'Delete and unlink' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    // The two 409 answers (both sides hold text; credential in use) are expected refusals the page handled.
    expect(problems.filter((problem) => !problem.includes('status of 409'))).toEqual([]);
    await context.close();
  });

  test('the editor shows the link status line; typed text reaches Google; export downloads a .docx', async () => {
    const context = await contextFor(browser, ed);
    const { page, problems } = await trackedPage(context);
    await page.goto(`${server.url}/d/${linked.name}`);
    await page.locator('[data-status][data-state="saved"]').waitFor();
    const line = page.locator('.link-status__item[data-provider="google"]');
    await expect
      .poll(() => line.textContent(), { timeout: 15_000 })
      .toMatch(/^Google Docs: synced \d+ (s|min) ago/);
    expect(await line.getByRole('link', { name: /Open in Google Docs/ }).getAttribute('href')).toBe(
      docsUrl(linked.googleId),
    );
    expect(await page.locator('[data-link-announcer]').textContent()).toBe('Google Docs: synced');

    await page.locator('#editor').click();
    await page.keyboard.press('End');
    await page.keyboard.type(' and typed on the web');
    await page.locator('[data-status][data-state="saved"]').waitFor();
    await expect
      .poll(() => googleText(linked.googleId), { timeout: 20_000 })
      .toBe('Budget from Google and typed on the web');
    // The relative time keeps moving on its own between polls.
    const first = await line.textContent();
    await expect.poll(() => line.textContent(), { timeout: 8_000 }).not.toBe(first);

    await page.getByRole('button', { name: 'Document' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download as Word (.docx)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Budget 2027.docx');
    const bytes = readFileSync((await download.path())!);
    const text = JSON.stringify(readDocx(new Uint8Array(bytes)).doc);
    expect(text).toContain('Budget from Google and typed on the web');
    expect(await editorText(page)).toBe('Budget from Google and typed on the web');
    expect(problems).toEqual([]);
    await context.close();
  });

  test('an embedded editor reports the link status in its sync-status events', async () => {
    const context = await browser.newContext();
    const { page, problems } = await trackedPage(context);
    await page.goto(`${portalOrigin()}/?doc=${linked.name}`);
    type Detail = {
      state: string;
      links?: { provider: string; state: string; label: string; remoteUrl: string }[];
    };
    const withLinks = () =>
      page.evaluate(() =>
        (window as unknown as { events: Detail[] }).events.filter((detail) => detail.links?.length),
      );
    await expect.poll(async () => (await withLinks()).length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect((await withLinks()).at(-1)?.links).toEqual([
      {
        provider: 'google',
        state: 'synced',
        label: 'Google Docs: synced',
        remoteUrl: docsUrl(linked.googleId),
      },
    ]);
    const frame = page.frames().find((f) => f.url().includes('/embed/'))!;
    await frame.locator('.link-status__item', { hasText: /^Google Docs: synced/ }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  test('someone who is not an administrator sees a plain "administrators only" page', async () => {
    const context = await contextFor(browser, ed);
    const { page } = await trackedPage(context);
    await page.goto(`${server.url}/admin`);
    await page.getByRole('heading', { name: 'Administrators only' }).waitFor();
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });
});
