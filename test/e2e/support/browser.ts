import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** The system Chromium (`apt-get install chromium`); never a browser downloaded by Playwright. */
export const CHROMIUM = process.env.DOCBRIDGE_CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Chromium with the flags CI needs and nothing that phones home. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A page that records what went wrong in it (uncaught errors, console errors, CSP violations), so a test can
 * assert the page ran cleanly under the server's strict Content-Security-Policy.
 */
export async function trackedPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return { page, problems };
}

/**
 * The document text of the editing surface, one line per top-level block, without collaborators' caret
 * labels (they are decorations inside the editable element, not content).
 */
export function editorText(page: Page, selector = '#editor'): Promise<string> {
  return page.locator(selector).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collaboration-carets__caret')) caret.remove();
    return [...copy.children].map((block) => block.textContent ?? '').join('\n');
  });
}
