import { withServer } from './lifecycle.ts';
import { rssKiB } from './processTree.ts';
import { type BenchServer, startOurServer, startPlainServer } from './servers.ts';
import { round, sleep } from './stats.ts';

/** The RSS target of an idle Docbridge in local mode with the demo document (issue #17). */
export const IDLE_RSS_TARGET_MIB = 120;

/** One start of one server: how long it took to listen and what it holds, untouched, as time passes. */
export interface FootprintRound {
  kind: BenchServer['kind'];
  round: number;
  startupMs: number;
  /** RSS once start-up work has died down (stable for 2 s), while start-up garbage is still held. */
  startedKiB: number;
  /** RSS after at least 45 s without a client, once stable: what an idle server holds for good. */
  idleKiB: number;
}

/** Start-up time and RSS of Docbridge in local mode beside plain Hocuspocus, means over the rounds. */
export interface FootprintResults {
  rounds: FootprintRound[];
  ours: { startupMs: number; startedKiB: number; idleKiB: number };
  plain: { startupMs: number; startedKiB: number; idleKiB: number };
  idleTargetMiB: number;
}

/** The longest a sample waits for RSS to stop moving, so one restless server cannot stall the bench. */
const MAX_WAIT_MS = 90_000;
/**
 * How long V8 is given to notice the process is idle: its memory reducer returns the start-up garbage
 * some 30-40 s after start (measured: Docbridge 131 -> 115 MiB between 30 and 35 s).
 */
const IDLE_AFTER_MS = 45_000;

/**
 * RSS of `pid` (KiB), sampled every 500 ms: the first stable reading (five samples, 2 s, within 1 MiB), and
 * the stable reading once `IDLE_AFTER_MS` have passed since the listening line. V8 keeps the young
 * generation it grew during start-up until its memory reducer runs, half a minute after the process went
 * quiet; both figures are reported so neither hides the other.
 */
async function rssOverTime(pid: number): Promise<{ startedKiB: number; idleKiB: number }> {
  const samples: number[] = [];
  const began = performance.now();
  let startedKiB: number | null = null;
  for (;;) {
    samples.push(rssKiB(pid));
    const last = samples.slice(-5);
    const stable = last.length === 5 && Math.max(...last) - Math.min(...last) <= 1024;
    const elapsed = performance.now() - began;
    if (stable || elapsed > MAX_WAIT_MS) startedKiB ??= samples.at(-1)!;
    if ((stable && elapsed >= IDLE_AFTER_MS) || elapsed > MAX_WAIT_MS) break;
    await sleep(500);
  }
  return { startedKiB: startedKiB ?? samples.at(-1)!, idleKiB: samples.at(-1)! };
}

/**
 * Starts Docbridge the way a newcomer's `npm start` does (local mode, SQLite in a fresh data directory, the
 * demo document written at start) and plain Hocuspocus, alternated `roundsPerServer` times, each on a fresh
 * process; measures the time to the listening line and RSS with no client connected, soon after start and
 * once idle.
 */
export async function runFootprintBench(roundsPerServer = 2): Promise<FootprintResults> {
  const rounds: FootprintRound[] = [];
  const measure = (r: number) => async (server: BenchServer) => ({
    kind: server.kind,
    round: r,
    startupMs: round(server.startupMs),
    ...(await rssOverTime(server.pid)),
  });
  for (let r = 1; r <= roundsPerServer; r++) {
    rounds.push(await withServer(() => startOurServer({ storage: 'sqlite', local: true }), measure(r)));
    rounds.push(await withServer(startPlainServer, measure(r)));
  }
  const mean = (kind: BenchServer['kind']) => {
    const mine = rounds.filter((r) => r.kind === kind);
    const avg = (pick: (r: FootprintRound) => number) =>
      round(mine.reduce((sum, r) => sum + pick(r), 0) / mine.length);
    return {
      startupMs: avg((r) => r.startupMs),
      startedKiB: Math.round(avg((r) => r.startedKiB)),
      idleKiB: Math.round(avg((r) => r.idleKiB)),
    };
  };
  return { rounds, ours: mean('ours'), plain: mean('plain'), idleTargetMiB: IDLE_RSS_TARGET_MIB };
}
