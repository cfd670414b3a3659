import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startServerProcess } from '../../test/helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../../test/helpers/tokens.ts';
import { isAlive, scriptPidOf, trackPid, untrackPid } from './processTree.ts';
import { releaseScratchDir, scratchDir } from './scratch.ts';
import { sleep, withTimeout } from './stats.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const STOP_GRACE_MS = 8_000;
/** Generous: on a shared 2-core machine at load 40 a tsx start-up has taken more than 30 s. */
const SERVER_START_TIMEOUT_MS = 120_000;
/** The per-user socket cap of bench servers: above any client count a bench opens as its one user. */
export const BENCH_MAX_CONNECTIONS_PER_USER = '1000000';

/** One server under measurement, running in a child process of the bench. */
export interface BenchServer {
  /** `ours` is Docbridge (`server/main.ts`), `plain` is `@hocuspocus/server` with no extension. */
  kind: 'ours' | 'plain';
  label: string;
  wsUrl: string;
  /** The process that runs the server code (not the tsx wrapper): the one whose RSS is sampled. */
  pid: number;
  /** A token granting `edit` on every `dept-a/*` document (plain Hocuspocus ignores it; empty in local mode). */
  token: string;
  /** From spawning the process to its first accepted connection (ms): what a user waits after `npm start`. */
  startupMs: number;
  stop(): Promise<void>;
}

/**
 * Where our server keeps documents for one bench run; `local` runs it as a newcomer's `npm start` does (no
 * JWT settings: local mode with the demo document) instead of with a portal JWT secret.
 */
export type OurBackend = ({ storage: 'sqlite' } | { storage: 'postgres'; databaseUrl: string }) & {
  local?: boolean;
};

/**
 * Starts Docbridge with `npm start`'s environment (the test helper's spawn) on loopback, with a portal JWT
 * secret (or in local mode), SQLite in a fresh temporary data directory or the given PostgreSQL database. It runs
 * from the sources with tsx as a loader, as the tests do, where `npm start` and the image run the compiled
 * build: the same CPU per update (docs/benchmarks.md, eighth pass), a little more memory (the `startup` part
 * measures the compiled server).
 */
export async function startOurServer(backend: OurBackend): Promise<BenchServer> {
  const dataDir = scratchDir();
  // Every bench client is one user: lift the per-user socket cap, which is a safety limit, not what is measured.
  const env: Record<string, string> = {
    DOCBRIDGE_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    DOCBRIDGE_MAX_CONNECTIONS_PER_USER: BENCH_MAX_CONNECTIONS_PER_USER,
  };
  if (!backend.local) env.DOCBRIDGE_JWT_SECRET = TEST_SECRET;
  // `DOCBRIDGE_COMMIT_SPACING_MS=0 npm run bench ...` compares another commit spacing (docs/benchmarks.md).
  if (process.env.DOCBRIDGE_COMMIT_SPACING_MS)
    env.DOCBRIDGE_COMMIT_SPACING_MS = process.env.DOCBRIDGE_COMMIT_SPACING_MS;
  if (backend.storage === 'postgres') env.DATABASE_URL = backend.databaseUrl;
  // `BENCH_CPU_PROFILE_DIR=dir npm run bench ...` writes a V8 CPU profile of each Docbridge server's threads there.
  if (process.env.BENCH_CPU_PROFILE_DIR) {
    env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`;
  }
  // `BENCH_NODE_OPTIONS=--perf-basic-prof` lets `perf record` name the JavaScript of both servers.
  if (process.env.BENCH_NODE_OPTIONS) env.NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS;
  const spawned = performance.now();
  const server = await withTimeout(
    startServerProcess(env),
    SERVER_START_TIMEOUT_MS,
    'the Docbridge server to listen',
  );
  const startupMs = performance.now() - spawned;
  const pid = trackChild(server.child);
  return {
    kind: 'ours',
    label: `docbridge (${backend.storage}${backend.local ? ', local mode' : ''})`,
    wsUrl: server.wsUrl,
    pid,
    token: backend.local ? '' : await portalToken({ docs: { 'dept-a/*': 'edit' } }),
    startupMs,
    stop: async () => {
      await stopChild(server.child, pid, () => server.stop());
      releaseScratchDir(dataDir);
    },
  };
}

const listeningLine = z.object({ listening: z.number().int().positive() });

/**
 * Starts `bench/server/plainHocuspocus.ts` in its own process, launched the way the test helper launches
 * our server (node with tsx as a loader), and waits until it listens.
 */
export async function startPlainServer(): Promise<BenchServer> {
  const spawned = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/server/plainHocuspocus.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...(process.env.BENCH_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackPid(child.pid!);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const parsed = listeningLine.safeParse(safeJson(line));
        if (parsed.success) resolve(parsed.data.listening);
      });
      child.once('exit', (code) => reject(new Error(`plain Hocuspocus exited with ${code}:\n${output}`)));
    }),
    SERVER_START_TIMEOUT_MS,
    'plain Hocuspocus to listen',
  );
  const startupMs = performance.now() - spawned;
  const pid = trackChild(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    kind: 'plain',
    label: 'plain hocuspocus',
    wsUrl: `ws://127.0.0.1:${port}`,
    pid,
    token: 'plain-hocuspocus-ignores-tokens',
    startupMs,
    stop: () =>
      stopChild(child, pid, async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      }),
  };
}

/** Tracks a server child (and the script process under it, if it is a tsx CLI); returns the script pid. */
function trackChild(child: ChildProcess): number {
  const spawned = child.pid!;
  trackPid(spawned);
  const pid = scriptPidOf(spawned);
  trackPid(pid);
  return pid;
}

/** Graceful stop within a grace period, then SIGKILL of whatever is left of the process pair. */
async function stopChild(child: ChildProcess, pid: number, graceful: () => Promise<void>): Promise<void> {
  try {
    await withTimeout(graceful(), STOP_GRACE_MS, 'a server to stop');
  } catch {
    child.kill('SIGKILL');
  }
  for (let i = 0; i < 20 && isAlive(pid); i++) await sleep(50);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  untrackPid(pid);
  untrackPid(child.pid!);
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
