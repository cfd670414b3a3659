import { withServer } from './lifecycle.ts';
import { rssKiB } from './processTree.ts';
import { type BenchServer, startOurServer, startPlainServer } from './servers.ts';
import { round, sleep } from './stats.ts';

/** The RSS target of an idle Docbridge in local mode with the demo document (issue #17). */
export const IDLE_RSS_TARGET_MIB = 120;

/** One start of one server: how long it took to listen and what it holds once settled, untouched. */
export interface FootprintRound {
  kind: BenchServer['kind'];
  round: number;
  startupMs: number;
  idleKiB: number;
}

/** Start-up time and idle RSS of Docbridge in local mode beside plain Hocuspocus, means over the rounds. */
export interface FootprintResults {
  rounds: FootprintRound[];
  ours: { startupMs: number; idleKiB: number };
  plain: { startupMs: number; idleKiB: number };
  idleTargetMiB: number;
}

/**
 * RSS of `pid` once it stops moving: sampled every 500 ms until four samples in a row (1.5 s) lie within
 * 1 MiB of each other, at most `maxMs`; returns the last sample. Start-up leaves work behind (the demo
 * document's write, lazy compilation, the first GCs), so a sample taken at the listening line undercounts.
 */
async function settledRssKiB(pid: number, maxMs = 15_000): Promise<number> {
  const samples: number[] = [];
  const until = performance.now() + maxMs;
  for (;;) {
    samples.push(rssKiB(pid));
    const last = samples.slice(-4);
    if (last.length === 4 && Math.max(...last) - Math.min(...last) <= 1024) break;
    if (performance.now() > until) break;
    await sleep(500);
  }
  return samples.at(-1)!;
}

/**
 * Starts Docbridge the way a newcomer's `npm start` does (local mode, SQLite in a fresh data directory, the
 * demo document written at start) and plain Hocuspocus, alternated `roundsPerServer` times, each on a fresh
 * process; measures the time to the listening line and the settled idle RSS, with no client connected.
 */
export async function runFootprintBench(roundsPerServer = 3): Promise<FootprintResults> {
  const rounds: FootprintRound[] = [];
  const measure = (r: number) => async (server: BenchServer) => ({
    kind: server.kind,
    round: r,
    startupMs: round(server.startupMs),
    idleKiB: await settledRssKiB(server.pid),
  });
  for (let r = 1; r <= roundsPerServer; r++) {
    rounds.push(await withServer(() => startOurServer({ storage: 'sqlite', local: true }), measure(r)));
    rounds.push(await withServer(startPlainServer, measure(r)));
  }
  const mean = (kind: BenchServer['kind']) => {
    const mine = rounds.filter((r) => r.kind === kind);
    const avg = (pick: (r: FootprintRound) => number) =>
      round(mine.reduce((sum, r) => sum + pick(r), 0) / mine.length);
    return { startupMs: avg((r) => r.startupMs), idleKiB: Math.round(avg((r) => r.idleKiB)) };
  };
  return { rounds, ours: mean('ours'), plain: mean('plain'), idleTargetMiB: IDLE_RSS_TARGET_MIB };
}
