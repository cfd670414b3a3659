import type { Browser } from 'playwright-core';
import { type ServerProcess, startServerProcess, tempDataDir } from '../../helpers/serverProcess.ts';
import { TEST_SECRET } from '../../helpers/tokens.ts';
import { launchBrowser } from './browser.ts';
import { prepareClient } from './client.ts';

/** A built client, a portal-mode server on a fresh data directory (plus `env`), and Chromium, started together. */
export async function startServerAndBrowser(
  env: Record<string, string> = {},
): Promise<[ServerProcess, Browser]> {
  await prepareClient();
  return Promise.all([
    startServerProcess({
      DOCBRIDGE_DATA_DIR: tempDataDir(),
      DOCBRIDGE_JWT_SECRET: TEST_SECRET,
      HOST: '127.0.0.1',
      ...env,
    }),
    launchBrowser(),
  ]);
}
