import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const traceHook = join(root, 'test/helpers/moduleTrace.mjs');

/**
 * Libraries an idle server must not hold (issue 17): each is loaded by the first use of what needs it (a
 * Google link, an import or export, a version shown, a link run, PostgreSQL or Redis when configured).
 */
const notAtIdle = [
  'googleapis',
  '@googleapis/',
  'google-auth-library',
  'happy-dom',
  'sanitize-html',
  '@tiptap/',
  'prosemirror-',
  'y-prosemirror',
  'mdast-util-',
  'micromark',
  'fflate',
  'saxes',
  'image-size',
  '/pg/',
  'ioredis',
  '@hocuspocus/extension-redis',
  // The Microsoft suite's libraries, when they arrive, follow the same rule.
  '@azure/',
  '@microsoft/',
];

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

it('an idle server in local mode with the demo document loads no converter, connector, DOM or unused driver', async () => {
  const dataDir = tempDataDir();
  const traceDir = mkdtempSync(join(tmpdir(), 'docbridge-trace-'));
  scratch.push(dataDir, traceDir);
  const trace = join(traceDir, 'modules.txt');
  const server = await startServerProcess(
    { DOCBRIDGE_DATA_DIR: dataDir, DOCBRIDGE_MODULE_TRACE: trace },
    { argv: [process.execPath, '--import', traceHook, '--import', 'tsx', join(root, 'server/main.ts')] },
  );
  try {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  } finally {
    await server.stop();
  }
  const loaded = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
  // The trace works: the server's own entry point and the SQLite addon's wrapper are in it.
  expect(loaded.some((url) => url.endsWith('/server/main.ts'))).toBe(true);
  expect(loaded.some((url) => url.includes('/node_modules/better-sqlite3/'))).toBe(true);
  const heavy = loaded.filter((url) => notAtIdle.some((name) => url.includes(`/node_modules/${name}`)));
  expect(heavy).toEqual([]);
});
