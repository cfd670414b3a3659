import {
  defaultFanoutOptions,
  type FanoutOptions,
  type FanoutRound,
  type MemorySample,
  runFanoutRound,
} from './fanout.ts';
import { withServer } from './lifecycle.ts';
import { type BenchServer, startOurServer, startPlainServer } from './servers.ts';
import { type LatencySummary, median, round, summarize } from './stats.ts';

/** The ratio ours/plain of fan-out p99 that Docbridge aims to stay under. */
export const P99_RATIO_TARGET = 1.15;

/** One round as reported: its counts, memory and latency distributions (raw samples dropped). */
export type RoundFigures = Omit<FanoutRound, 'latencies' | 'ackLatencies'> & {
  latency: LatencySummary;
  ack: LatencySummary;
};

/** All rounds of one server folded together: latency over every delivery, memory averaged over rounds. */
export interface ServerFigures {
  kind: BenchServer['kind'];
  rounds: number;
  sent: number;
  expected: number;
  undelivered: number;
  /** Server CPU time per 1000 updates sent, over every round (ms). */
  cpuMsPer1000Updates: number;
  /** The main thread's share of `cpuMsPer1000Updates` (ms). */
  mainThreadCpuMsPer1000Updates: number;
  latency: LatencySummary;
  memory: Pick<MemorySample, 'baselineKiB' | 'perDocumentKiB' | 'perConnectionKiB'>;
}

/** Figures 2 and 3: fan-out latency and memory of Docbridge against plain Hocuspocus. */
export interface FanoutResults {
  options: FanoutOptions;
  rounds: RoundFigures[];
  ours: ServerFigures;
  plain: ServerFigures;
  /** p99 of every delivery to ours over p99 of every delivery to plain: the figure the target applies to. */
  p99Ratio: number;
  /** Median over rounds of (ours round r p99 / plain round r p99): less sensitive to one disturbed round. */
  p99RatioMedianOfRounds: number;
  p99RatioTarget: number;
}

/**
 * Runs `roundsPerServer` rounds per server, alternating Docbridge (SQLite in a temporary directory, portal
 * JWT secret) and plain Hocuspocus (ours, plain, ours, plain, ...), each round on a freshly started process,
 * so drift of the shared machine over the run affects both sides alike.
 */
export async function runFanoutBench(
  roundsPerServer = 3,
  options: FanoutOptions = defaultFanoutOptions,
): Promise<FanoutResults> {
  const rounds: FanoutRound[] = [];
  for (let r = 1; r <= roundsPerServer; r++) {
    rounds.push(
      await withServer(
        () => startOurServer({ storage: 'sqlite' }),
        (s) => runFanoutRound(s, r, options),
      ),
    );
    rounds.push(await withServer(startPlainServer, (s) => runFanoutRound(s, r, options)));
  }
  const ours = fold('ours', rounds);
  const plain = fold('plain', rounds);
  return {
    options,
    rounds: rounds.map(({ latencies, ackLatencies, ...rest }) => ({
      ...rest,
      latency: summarize(latencies),
      ack: summarize(ackLatencies),
    })),
    ours,
    plain,
    p99Ratio: plain.latency.p99 > 0 ? round(ours.latency.p99 / plain.latency.p99) : Number.NaN,
    p99RatioMedianOfRounds: medianRoundRatio(rounds),
    p99RatioTarget: P99_RATIO_TARGET,
  };
}

function medianRoundRatio(rounds: FanoutRound[]): number {
  const p99 = (kind: BenchServer['kind']) =>
    rounds.filter((r) => r.kind === kind).map((r) => summarize(r.latencies).p99);
  const plain = p99('plain');
  return round(median(p99('ours').map((ours, i) => ours / plain[i]!)));
}

function fold(kind: BenchServer['kind'], all: FanoutRound[]): ServerFigures {
  const rounds = all.filter((r) => r.kind === kind);
  const sum = (pick: (r: FanoutRound) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const mean = (pick: (r: FanoutRound) => number) => round(sum(pick) / rounds.length);
  return {
    kind,
    rounds: rounds.length,
    sent: sum((r) => r.sent),
    expected: sum((r) => r.expected),
    undelivered: sum((r) => r.undelivered),
    cpuMsPer1000Updates: round(
      (sum((r) => r.serverCpuMs) * 1000) /
        Math.max(
          1,
          sum((r) => r.sent),
        ),
    ),
    mainThreadCpuMsPer1000Updates: round(
      (sum((r) => r.serverMainThreadCpuMs) * 1000) /
        Math.max(
          1,
          sum((r) => r.sent),
        ),
    ),
    latency: summarize(rounds.flatMap((r) => r.latencies)),
    memory: {
      baselineKiB: mean((r) => r.memory.baselineKiB),
      perDocumentKiB: mean((r) => r.memory.perDocumentKiB),
      perConnectionKiB: mean((r) => r.memory.perConnectionKiB),
    },
  };
}
