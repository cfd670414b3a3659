import type { FanoutResults } from './fanoutBench.ts';
import type { FootprintResults } from './footprint.ts';
import type { PersistSeries } from './persistBench.ts';

type Cell = string | number;

/** A plain-text table with aligned columns (numbers right-aligned), for the human half of the bench output. */
export function formatTable(title: string, headers: string[], rows: Cell[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i] ?? '').length)));
  const line = (cells: Cell[]) =>
    cells
      .map((cell, i) =>
        typeof cell === 'number' ? String(cell).padStart(widths[i]!) : cell.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [`\n${title}`, line(headers), rule, ...rows.map(line)].join('\n');
}

/** Figure 1 as a table: one row per series, baselines marked. */
export function persistTable(series: PersistSeries[]): string {
  return formatTable(
    'Persist latency per update (ms)',
    ['level', 'what', 'backend', 'count', 'p50', 'p99', 'mean'],
    series.map((s) => [
      s.level,
      s.what,
      s.backend,
      s.latency.count,
      s.latency.p50,
      s.latency.p99,
      s.latency.mean,
    ]),
  );
}

/** Figure 2 as a table: every round in run order, then each server over all its rounds, then the p99 ratio. */
export function fanoutTable(results: FanoutResults): string {
  const { options: o } = results;
  const rows: Cell[][] = results.rounds.map((r) => [
    r.kind,
    `round ${r.round}`,
    r.sent,
    r.expected,
    r.undelivered,
    r.latency.p50,
    r.latency.p95,
    r.latency.p99,
    Math.round((r.serverCpuMs * 1000) / Math.max(1, r.sent)),
    Math.round((r.serverMainThreadCpuMs * 1000) / Math.max(1, r.sent)),
    r.loadAverage,
  ]);
  for (const s of [results.ours, results.plain]) {
    const { p50, p95, p99 } = s.latency;
    rows.push([
      s.kind,
      'all rounds',
      s.sent,
      s.expected,
      s.undelivered,
      p50,
      p95,
      p99,
      Math.round(s.cpuMsPer1000Updates),
      Math.round(s.mainThreadCpuMsPer1000Updates),
    ]);
  }
  const verdict = results.p99Ratio <= results.p99RatioTarget ? 'within' : 'ABOVE';
  const undelivered = results.ours.undelivered + results.plain.undelivered;
  return [
    formatTable(
      `Fan-out latency (ms): ${o.documents} documents x ${o.clientsPerDocument} clients x ` +
        `${o.updatesPerSecondPerClient} updates/s per client, ${o.durationMs / 1000} s per round`,
      [
        'server',
        'round',
        'sent',
        'expected',
        'undelivered',
        'p50',
        'p95',
        'p99',
        'cpu ms/1k upd',
        'main thread',
        'load',
      ],
      rows,
    ),
    `p99 ratio ours/plain: ${results.p99Ratio} over all deliveries (${verdict} the ${results.p99RatioTarget} ` +
      `target), ${results.p99RatioMedianOfRounds} as the median of per-round ratios` +
      (undelivered > 0 ? `; WARNING: ${undelivered} deliveries missing` : '; every update delivered'),
  ].join('\n');
}

const mib = (kib: number) => Math.round(kib / 102.4) / 10;

/** Figure 0 as a table: start-up time and settled idle RSS per round, then the means and the target. */
export function footprintTable(results: FootprintResults): string {
  const rows: Cell[][] = results.rounds.map((r) => [
    r.kind,
    `round ${r.round}`,
    Math.round(r.startupMs),
    mib(r.startedKiB),
    mib(r.idleKiB),
  ]);
  for (const kind of ['ours', 'plain'] as const) {
    const k = results[kind];
    rows.push([kind, 'mean', Math.round(k.startupMs), mib(k.startedKiB), mib(k.idleKiB)]);
  }
  const idle = mib(results.ours.idleKiB);
  const verdict = idle <= results.idleTargetMiB ? 'within' : 'ABOVE';
  return [
    formatTable(
      'Footprint: docbridge in local mode with the demo document vs plain Hocuspocus, nothing connected',
      ['server', 'round', 'start-up ms', 'after start MiB', 'idle (45 s+) MiB'],
      rows,
    ),
    `idle RSS ours: ${idle} MiB (${verdict} the ${results.idleTargetMiB} MiB target), plain: ${mib(results.plain.idleKiB)} MiB`,
  ].join('\n');
}

/** Figure 3 as a table: both servers side by side, per round and averaged. */
export function memoryTable(results: FanoutResults): string {
  const rows: Cell[][] = results.rounds.map((r) => [
    r.kind,
    `round ${r.round}`,
    mib(r.memory.baselineKiB),
    r.memory.perDocumentKiB,
    r.memory.perConnectionKiB,
  ]);
  for (const s of [results.ours, results.plain]) {
    rows.push([
      s.kind,
      'mean',
      mib(s.memory.baselineKiB),
      s.memory.perDocumentKiB,
      s.memory.perConnectionKiB,
    ]);
  }
  return formatTable(
    'Memory (RSS of the server process)',
    ['server', 'round', 'idle MiB', 'KiB per document', 'KiB per connection'],
    rows,
  );
}
