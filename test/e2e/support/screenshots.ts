import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Saves a screenshot under test/e2e/screenshots/ (gitignored: CI keeps them as artefacts). With
 * DOCBRIDGE_REFRESH_SCREENSHOTS=1 (`npm run screenshots`, after a UI change) it also copies it to docs/images/
 * (committed), so the documentation shows the UI as the tests saw it; plain test runs leave the tree clean.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = join(root, 'test/e2e/screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env.DOCBRIDGE_REFRESH_SCREENSHOTS === '1') {
    mkdirSync(join(root, 'docs/images'), { recursive: true });
    copyFileSync(file, join(root, 'docs/images', `${name}.png`));
  }
  return file;
}
