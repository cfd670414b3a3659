import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_COMPACT_AFTER } from '../../server/config.ts';
import { defaultFanoutOptions, type FanoutOptions, type FanoutRound, runFanoutRound } from './fanout.ts';
import { type IdleFigures, idleConnectionTarget, measureIdleConnections } from './idleConnections.ts';
import { withServer } from './lifecycle.ts';
import { type PairedCpu, runPairedCpu } from './pairedCpu.ts';
import { lineChartSvg, renderPng } from './plot.ts';
import { formatTable } from './report.ts';
import { type BenchServer, startOurServer, startPlainServer } from './servers.ts';
import { type LatencySummary, median, round, summarize } from './stats.ts';

/** Where the bench draws its plots for docs/benchmarks.md. */
export const imagesDir = fileURLToPath(new URL('../../docs/images', import.meta.url));

/** One point of a latency-against-load curve, or the 1,000-document round. */
export interface LoadPoint {
  kind: BenchServer['kind'];
  documents: number;
  clients: number;
  /** Updates sent per second over the round (all clients). */
  updatesPerSecond: number;
  undelivered: number;
  /** Fresh servers of this kind measured at this point; the CPU figures are their medians. */
  rounds: number;
  cpuMsPer1000Updates: number;
  /**
   * Each round's CPU per 1,000 updates, in the order the rounds ran: its spread is how much one run of the point
   * moves, and round r of ours ran next to round r of plain (`roundRatios`).
   */
  cpuRounds: number[];
  /** The main thread's part of `cpuMsPer1000Updates`: the event loop, where every extension of ours runs. */
  mainThreadCpuMsPer1000Updates: number;
  /** The SQLite writer thread's part (durable commits off the event loop; 0 on plain Hocuspocus). */
  writerThreadCpuMsPer1000Updates: number;
  /** The machine's 1-minute load average when the load started (the highest of the rounds). */
  loadAverage: number;
  perDocumentKiB: number;
  latency: LatencySummary;
  /** An update sent to its sender's "saved": durable on ours, in memory on plain Hocuspocus. */
  ack: LatencySummary;
}

/** The scale figures of one run, each beside plain Hocuspocus. */
export interface ScaleResults {
  idle: IdleFigures[];
  activeDocuments: LoadPoint[];
  loadCurve: LoadPoint[];
  /** ours/plain server CPU per update, over every round of the load curve (goal: at most 1.2). */
  cpuPerUpdateRatio: number;
  /** The same ratio from each round alone (round r of ours against the round r of plain run next to it), sorted. */
  roundRatios: number[];
  /**
   * The same ratio for the main thread alone; the rest of ours is the SQLite writer thread's durable commits
   * (one transaction and fsync per group of updates) and the GC threads.
   */
  mainThreadCpuPerUpdateRatio: number;
  plot: string;
}

const starters = { ours: () => startOurServer({ storage: 'sqlite' }), plain: startPlainServer } as const;
const kinds = ['ours', 'plain'] as const;

/**
 * 10,000 idle connections on one node (or what `ulimit -n` allows), 1,000 active documents, and fan-out
 * latency at rising load: each on a fresh Docbridge (SQLite) and a fresh plain Hocuspocus, alternated.
 * Draws p99 against load to docs/images/bench-latency-vs-load.png.
 */
export async function runScaleBench(progress: (message: string) => void): Promise<ScaleResults> {
  const idle = await runIdleBench(progress);

  const documents = Number(process.env.BENCH_ACTIVE_DOCUMENTS ?? 1_000);
  const active: FanoutOptions = {
    ...defaultFanoutOptions,
    documents,
    clientsPerDocument: 2,
    updatesPerSecondPerClient: 0.5,
  };
  const activeDocuments: LoadPoint[] = [];
  for (const kind of kinds) {
    progress(`${documents} active documents on ${kind}`);
    activeDocuments.push(loadPoint(kind, active, [await fanoutRound(kind, 1, active)]));
  }

  const loadCurve: LoadPoint[] = [];
  for (const rate of [1, 2, 4, 8]) {
    const options = { ...defaultFanoutOptions, updatesPerSecondPerClient: rate, durationMs: 6_000 };
    loadCurve.push(
      ...(await alternatedPoint(`fan-out at ${rate} updates/s per client`, 10 + rate, options, progress)),
    );
  }
  const plot = join(imagesDir, 'bench-latency-vs-load.png');
  await renderPng(
    lineChartSvg({
      title: 'Fan-out p99 latency against load (one node)',
      xLabel: 'updates sent per second (20 documents x 5 clients)',
      yLabel: 'p99 latency (ms)',
      series: kinds.map((kind) => ({
        name: kind === 'ours' ? 'docbridge' : 'plain hocuspocus',
        points: loadCurve.filter((p) => p.kind === kind).map((p) => [p.updatesPerSecond, p.latency.p99]),
      })),
    }),
    plot,
  );
  return {
    idle,
    activeDocuments,
    loadCurve,
    ...cpuRatios(loadCurve),
    plot: relative(process.cwd(), plot),
  };
}

/**
 * One point measured on `BENCH_CPU_ROUNDS` (3) fresh servers of each kind. CPU per update moves by up to a
 * third between identical runs of one point on this shared VM (more than any change measured against it), so
 * ours and plain alternate, the order flipped every round so that a drift of the machine hits both alike; the
 * point's CPU is the median of its rounds.
 */
async function alternatedPoint(
  label: string,
  roundNumber: number,
  options: FanoutOptions,
  progress: (message: string) => void,
): Promise<LoadPoint[]> {
  const rounds = Number(process.env.BENCH_CPU_ROUNDS ?? 3);
  const runs = new Map<BenchServer['kind'], FanoutRound[]>(kinds.map((kind) => [kind, []]));
  for (let r = 0; r < rounds; r++) {
    for (const kind of r % 2 === 0 ? kinds : [...kinds].reverse()) {
      progress(`${label} on ${kind} (round ${r + 1} of ${rounds})`);
      runs.get(kind)!.push(await fanoutRound(kind, roundNumber, options));
    }
  }
  return kinds.map((kind) => loadPoint(kind, options, runs.get(kind)!));
}

/**
 * ours/plain CPU per update over `points` (the mean of each kind's points), all threads and main thread; and the
 * same ratio from each round alone, which shows how far one alternated pair of runs moves the figure.
 */
function cpuRatios(points: LoadPoint[]): {
  cpuPerUpdateRatio: number;
  mainThreadCpuPerUpdateRatio: number;
  roundRatios: number[];
} {
  const mean = (kind: BenchServer['kind'], of: (p: LoadPoint) => number) => {
    const own = points.filter((p) => p.kind === kind);
    return own.reduce((sum, p) => sum + of(p), 0) / own.length;
  };
  const ratio = (of: (p: LoadPoint) => number) => round(mean('ours', of) / mean('plain', of));
  const rounds = Math.min(...points.map((p) => p.cpuRounds.length));
  const roundRatios = Array.from({ length: rounds }, (_, r) => ratio((p) => p.cpuRounds[r]!)).sort(
    (a, b) => a - b,
  );
  return {
    cpuPerUpdateRatio: ratio((p) => p.cpuMsPer1000Updates),
    mainThreadCpuPerUpdateRatio: ratio((p) => p.mainThreadCpuMsPer1000Updates),
    roundRatios,
  };
}

/** CPU per update under sustained load, each beside plain Hocuspocus. */
export interface SustainedResults {
  points: LoadPoint[];
  cpuPerUpdateRatio: number;
  mainThreadCpuPerUpdateRatio: number;
  roundRatios: number[];
  /** The same load on both servers at once: the steadier reading of the ratio (goal: at most 1.2). */
  paired: PairedCpu;
}

/** Updates per second each document takes in the sustained part (5 clients at 2 updates/s each). */
const SUSTAINED_DOCUMENT_RATE = 10;

/**
 * CPU per update once compaction takes part (`npm run bench -- --only sustained`): 20 documents x 5 clients at
 * 2 updates/s each (200 updates/s), long enough for each document's log to pass `DOCBRIDGE_COMPACT_AFTER` twice
 * (100 s at the default 500 entries), so that compaction weighs in the figure as often as under steady editing.
 * The load curve's 6 s points never get there, and a compaction that started a conversion worker each time went
 * unseen by them. Then the same load on both servers at once, as many rounds (`runPairedCpu`).
 */
export async function runSustainedBench(progress: (message: string) => void): Promise<SustainedResults> {
  const durationMs = ((2 * DEFAULT_COMPACT_AFTER) / SUSTAINED_DOCUMENT_RATE) * 1000;
  const options = {
    ...defaultFanoutOptions,
    updatesPerSecondPerClient: SUSTAINED_DOCUMENT_RATE / defaultFanoutOptions.clientsPerDocument,
    durationMs,
  };
  const points = await alternatedPoint(
    `sustained load, ${options.updatesPerSecondPerClient} updates/s per client for ${durationMs / 1000} s`,
    30,
    options,
    progress,
  );
  const paired = await runPairedCpu(options, points[0]?.rounds ?? 1, progress);
  return { points, ...cpuRatios(points), paired };
}

/** The sustained-load figures as a table. */
export function sustainedTable(results: SustainedResults): string {
  return [
    pointsTable(
      `Sustained load, compactions included (ms; CPU the median of ${results.points[0]?.rounds ?? 0} alternated rounds)`,
      results.points,
    ),
    `server CPU per update under sustained load, ours/plain: ${results.cpuPerUpdateRatio}; main thread alone: ${results.mainThreadCpuPerUpdateRatio}; ${roundRatiosText(results.roundRatios)}`,
    pairedText(results.paired),
  ].join('\n');
}

function pairedText({ rounds, ratio }: PairedCpu): string {
  const each = rounds.map((r) => `${r.ratio} (${r.ours} / ${r.plain}, load ${r.loadAverage})`).join(', ');
  return `same load on both servers at once, ours/plain: ${ratio} (goal <= 1.2; median of ${rounds.length} rounds: ${each})`;
}

/**
 * The idle rows of `scale` alone (`npm run bench -- --only idle`): `BENCH_IDLE_CONNECTIONS` (10,000) synced
 * sockets over 100 documents, on Docbridge then plain Hocuspocus.
 */
export async function runIdleBench(progress: (message: string) => void): Promise<IdleFigures[]> {
  const connections = idleConnectionTarget(Number(process.env.BENCH_IDLE_CONNECTIONS ?? 10_000));
  const idle: IdleFigures[] = [];
  for (const kind of kinds) {
    progress(`${connections} idle connections on ${kind}`);
    idle.push(await withServer(starters[kind], (s) => measureIdleConnections(s, connections, 100)));
  }
  return idle;
}

function fanoutRound(kind: BenchServer['kind'], roundNumber: number, options: FanoutOptions) {
  return withServer(starters[kind], (s) => runFanoutRound(s, roundNumber, options));
}

/** One point from its rounds: CPU as medians, latencies pooled over every round. */
function loadPoint(kind: BenchServer['kind'], options: FanoutOptions, runs: FanoutRound[]): LoadPoint {
  const per1000 = (of: (r: FanoutRound) => number) =>
    runs.map((r) => round((of(r) * 1000) / Math.max(1, r.sent)));
  const cpu = per1000((r) => r.serverCpuMs);
  return {
    kind,
    documents: options.documents,
    clients: options.documents * options.clientsPerDocument,
    updatesPerSecond: round(median(runs.map((r) => r.sent)) / (options.durationMs / 1000)),
    undelivered: runs.reduce((sum, r) => sum + r.undelivered, 0),
    rounds: runs.length,
    cpuMsPer1000Updates: round(median(cpu)),
    cpuRounds: cpu,
    mainThreadCpuMsPer1000Updates: round(median(per1000((r) => r.serverMainThreadCpuMs))),
    writerThreadCpuMsPer1000Updates: round(median(per1000((r) => r.serverWriterThreadCpuMs))),
    loadAverage: Math.max(...runs.map((r) => r.loadAverage)),
    perDocumentKiB: round(median(runs.map((r) => r.memory.perDocumentKiB))),
    latency: summarize(runs.flatMap((r) => r.latencies)),
    ack: summarize(runs.flatMap((r) => r.ackLatencies)),
  };
}

/** The idle rows as a table. */
export function idleTable(idle: IdleFigures[]): string {
  return formatTable(
    'Idle connections on one node (synced Hocuspocus sockets, 100 documents)',
    ['server', 'connections', 'idle MiB before', 'MiB with sockets', 'KiB per connection', 'idle CPU ms/s'],
    idle.map((f) => [
      f.kind,
      f.connections,
      f.baselineMiB,
      f.loadedMiB,
      f.perConnectionKiB,
      f.idleCpuMsPerSecond,
    ]),
  );
}

/** The scale figures as tables. */
export function scaleTables(results: ScaleResults): string {
  const idle = idleTable(results.idle);
  return [
    idle,
    pointsTable(
      'Active documents (2 clients each, 0.5 updates/s per client), latency ms',
      results.activeDocuments,
    ),
    pointsTable(
      `Fan-out latency against load (ms; CPU the median of ${results.loadCurve[0]?.rounds ?? 0} alternated rounds)`,
      results.loadCurve,
    ),
    `server CPU per update, ours/plain over the load curve: ${results.cpuPerUpdateRatio} (goal <= 1.2); main thread alone: ${results.mainThreadCpuPerUpdateRatio}; ${roundRatiosText(results.roundRatios)}; plot: ${results.plot}`,
  ].join('\n');
}

function roundRatiosText(ratios: number[]): string {
  return `each round alone (ours/plain run next to each other): ${ratios.join(', ')}`;
}

/** Load points as a table, one row per server and point. */
function pointsTable(title: string, rows: LoadPoint[]): string {
  return formatTable(
    title,
    [
      'server',
      'documents',
      'clients',
      'updates/s',
      'undelivered',
      'p50',
      'p95',
      'p99',
      'ack p50',
      'ack p99',
      'cpu ms/1k upd',
      'cpu range',
      'main thread',
      'writer',
      'KiB/doc',
      'load',
    ],
    rows.map((p) => [
      p.kind,
      p.documents,
      p.clients,
      p.updatesPerSecond,
      p.undelivered,
      p.latency.p50,
      p.latency.p95,
      p.latency.p99,
      p.ack.p50,
      p.ack.p99,
      p.cpuMsPer1000Updates,
      `${Math.min(...p.cpuRounds)}-${Math.max(...p.cpuRounds)}`,
      p.mainThreadCpuMsPer1000Updates,
      p.writerThreadCpuMsPer1000Updates,
      p.perDocumentKiB,
      p.loadAverage,
    ]),
  );
}
