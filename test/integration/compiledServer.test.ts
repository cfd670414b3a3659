import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureServerBuilt } from '../../build/serverBuild.ts';
import { ensureClientBuilt } from '../../client/buildIfStale.ts';
import { type ServerProcess, startServerProcess, tempDataDir } from '../helpers/serverProcess.ts';
import { checkHealthAndOneEdit, expectServed } from '../helpers/smokeCheck.ts';
import { TEST_SECRET } from '../helpers/tokens.ts';

const root = join(import.meta.dirname, '../..');
const servers: ServerProcess[] = [];
const dataDir = tempDataDir();
const work = mkdtempSync(join(tmpdir(), 'docbridge-compiled-'));

beforeAll(async () => {
  await ensureClientBuilt();
  await ensureServerBuilt();
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function startCompiled(): Promise<ServerProcess> {
  const env = { DOCBRIDGE_DATA_DIR: dataDir, DOCBRIDGE_JWT_SECRET: TEST_SECRET, HOST: '127.0.0.1' };
  const server = await startServerProcess(env, { compiled: true });
  servers.push(server);
  return server;
}

describe('the compiled server (dist/, plain node)', () => {
  it('serves health, the web client and an edit, and the edit outlives a restart', async () => {
    const first = await startCompiled();
    const page = await fetch(`${first.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>');
    const { document, marker } = await checkHealthAndOneEdit(first);
    // The SQLite writer runs in a worker thread loaded by path: after a clean stop, a new process reads back
    // what that compiled worker committed.
    await first.stop();
    const second = await startCompiled();
    await expectServed(second, document, marker);
  });

  it('runs the docbridge CLI compiled', async () => {
    const input = join(work, 'in.md');
    const output = join(work, 'out.html');
    writeFileSync(input, '# Compiled\n\nHello from *dist*.\n');
    await promisify(execFile)(process.execPath, [join(root, 'bin/docbridge.js'), 'convert', input, output], {
      cwd: root,
    });
    expect(readFileSync(output, 'utf8')).toContain('Hello from <em>dist</em>');
  });
});
