import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureServerBuilt } from '../../build/serverBuild.ts';
import { startServerProcess } from '../../test/helpers/serverProcess.ts';
import { TEST_SECRET } from '../../test/helpers/tokens.ts';
import { rssKiB, scriptPidOf, trackPid, untrackPid } from './processTree.ts';
import { formatTable } from './report.ts';
import { releaseScratchDir, scratchDir } from './scratch.ts';
import { median, round, sleep, withTimeout } from './stats.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** How long a started server sits without clients before its RSS is read. */
const IDLE_MS = 3_000;

/** How a server is launched: before this build existed (`tsx server/main.ts`) and after (compiled). */
const launchers = {
  'tsx (source)': [
    process.execPath,
    join(root, 'node_modules/tsx/dist/cli.mjs'),
    join(root, 'server/main.ts'),
  ],
  'node dist (compiled)': [process.execPath, join(root, 'dist/server/main.js')],
} as const satisfies Record<string, [string, ...string[]]>;

/** Start-up time and idle RSS of one launcher, medians over `runs` fresh processes. */
export interface StartupFigures {
  launcher: keyof typeof launchers;
  runs: number;
  /** From spawn to the "docbridge listening" log line (ms). */
  startMsMedian: number;
  /** RSS of the process running the server after `IDLE_MS` without clients (MiB). */
  idleRssMiBMedian: number;
}

/**
 * Figure 0: what the compiled server saves. Alternates the two launchers `runs` times each (SQLite in a fresh
 * directory, a portal JWT secret, no client), so machine drift hits both alike.
 */
export async function runStartupBench(runs = 3): Promise<StartupFigures[]> {
  await ensureServerBuilt();
  const samples = new Map<keyof typeof launchers, { start: number[]; rss: number[] }>();
  for (let r = 0; r < runs; r++) {
    for (const [name, argv] of Object.entries(launchers) as [
      keyof typeof launchers,
      [string, ...string[]],
    ][]) {
      const dataDir = scratchDir();
      const started = performance.now();
      const server = await withTimeout(
        startServerProcess(
          { DOCBRIDGE_DATA_DIR: dataDir, DOCBRIDGE_JWT_SECRET: TEST_SECRET, HOST: '127.0.0.1' },
          { argv },
        ),
        60_000,
        `${name} to listen`,
      );
      const startMs = performance.now() - started;
      trackPid(server.child.pid!);
      const pid = scriptPidOf(server.child.pid!);
      trackPid(pid);
      try {
        await sleep(IDLE_MS);
        const series = samples.get(name) ?? { start: [], rss: [] };
        series.start.push(startMs);
        series.rss.push(rssKiB(pid) / 1024);
        samples.set(name, series);
      } finally {
        await server.stop();
        untrackPid(pid);
        untrackPid(server.child.pid!);
        releaseScratchDir(dataDir);
      }
    }
  }
  return [...samples].map(([launcher, s]) => ({
    launcher,
    runs: s.start.length,
    startMsMedian: round(median(s.start)),
    idleRssMiBMedian: round(median(s.rss)),
  }));
}

/** Figure 0 as a table. */
export function startupTable(figures: StartupFigures[]): string {
  return formatTable(
    `Start-up and idle footprint (median of ${figures[0]?.runs ?? 0} runs, SQLite, no client)`,
    ['launcher', 'spawn to listening ms', 'idle RSS MiB'],
    figures.map((f) => [f.launcher, f.startMsMedian, f.idleRssMiBMedian]),
  );
}
