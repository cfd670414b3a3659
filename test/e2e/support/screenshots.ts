import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * Saves a screenshot under test/e2e/screenshots/ (gitignored) and copies it to docs/images/ (committed), so
 * the documentation shows the UI as the tests last saw it.
 */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  const dir = join(root, 'test/e2e/screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  mkdirSync(join(root, 'docs/images'), { recursive: true });
  copyFileSync(file, join(root, 'docs/images', `${name}.png`));
  return file;
}
