import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { clientBundleTable, runClientBundleBench } from './clientBundle.ts';
import { googleQuotaTable, runGoogleQuotaBench } from './links/googleQuotaBench.ts';
import { linkTable, runLinkBench } from './links/linkBench.ts';
import { runWordFileBench, wordFileTable } from './links/wordFileBench.ts';
import { clusterTable, runClusterBench } from './server/clusterBench.ts';
import { runFanoutBench } from './server/fanoutBench.ts';
import { runFootprintBench } from './server/footprint.ts';
import { hostileImportTable, runHostileImportBench } from './server/hostileImportBench.ts';
import { runPersistBench } from './server/persistBench.ts';
import { killStarted } from './server/processTree.ts';
import { fanoutTable, footprintTable, memoryTable, persistTable } from './server/report.ts';
import {
  idleTable,
  runIdleBench,
  runScaleBench,
  runSustainedBench,
  scaleTables,
  sustainedTable,
} from './server/scaleBench.ts';
import { removeScratchDirs, runAbortHooks } from './server/scratch.ts';
import { runStartupBench, startupTable } from './server/startupBench.ts';

/**
 * `npm run bench`: the figures of docs/benchmarks.md (start-up time and idle RSS, the web client's JavaScript
 * per page, persist latency, fan-out latency against plain
 * Hocuspocus, memory per document and per connection), then the conversion bench when bench/conversion.ts
 * exists, then the link figures (bench/links/linkBench.ts) and the Word file mode latencies
 * (bench/links/wordFileBench.ts). Tables go to stdout as each part finishes,
 * progress to stderr, and the last stdout line is one JSON object with every figure. Every child process is
 * stopped at the end, on error and on a signal.
 */
process.on('exit', () => {
  killStarted();
  removeScratchDirs();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killStarted();
    void runAbortHooks(3_000).finally(() => process.exit(130));
  });
}

const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);
const print = (text: string) => process.stdout.write(`${text}\n`);

async function conversionFigures(): Promise<object | null> {
  const path = fileURLToPath(new URL('./conversion.ts', import.meta.url));
  if (!existsSync(path)) return null;
  const module: unknown = await import(path);
  const run = (module as { runConversionBench?: unknown }).runConversionBench;
  if (typeof run !== 'function') throw new Error('bench/conversion.ts does not export runConversionBench()');
  return (await run()) as object;
}

/** The parts of the bench, in run order; `npm run bench -- --only startup,fanout` runs a subset. */
const parts: Record<string, () => Promise<unknown>> = {
  async footprint() {
    progress(
      'footprint: start-up time and idle RSS, docbridge in local mode and plain Hocuspocus, alternated',
    );
    const footprint = await runFootprintBench();
    print(footprintTable(footprint));
    return footprint;
  },
  async client() {
    progress('web client: JavaScript each page loads before its first paint');
    const client = await runClientBundleBench();
    print(clientBundleTable(client));
    return client;
  },
  async startup() {
    progress('start-up time and idle RSS: tsx from source against the compiled server');
    const figures = await runStartupBench();
    print(startupTable(figures));
    return figures;
  },
  async persist() {
    progress('persist latency (storage level, then end to end on SQLite, PostgreSQL and plain Hocuspocus)');
    const persist = await runPersistBench();
    print(persistTable(persist));
    return persist;
  },
  async fanout() {
    progress('fan-out and memory: docbridge and plain Hocuspocus, alternated, 3 rounds each');
    const fanout = await runFanoutBench();
    print(fanoutTable(fanout));
    print(memoryTable(fanout));
    return fanout;
  },
  async scale() {
    progress(
      'scale: idle connections, active documents, latency against load (docbridge and plain Hocuspocus)',
    );
    const scale = await runScaleBench(progress);
    print(scaleTables(scale));
    return scale;
  },
  async sustained() {
    progress(
      'sustained: CPU per update under load long enough to compact every log twice (docbridge and plain Hocuspocus)',
    );
    const sustained = await runSustainedBench(progress);
    print(sustainedTable(sustained));
    return sustained;
  },
  async idle() {
    progress('idle: CPU and memory of idle synced connections (the first rows of scale alone)');
    const idle = await runIdleBench(progress);
    print(idleTable(idle));
    return idle;
  },
  async cluster() {
    const cluster = await runClusterBench(progress);
    print(clusterTable(cluster));
    return cluster;
  },
  async hostileImports() {
    progress('/healthz under ten hostile imports at once');
    const hostileImports = await runHostileImportBench();
    print(hostileImportTable(hostileImports));
    return hostileImports;
  },
  async links() {
    progress('links: CPU per pull and push, writes per idle poll, document loads while a link is active');
    const links = await runLinkBench();
    print(linkTable(links));
    return links;
  },
  async word() {
    progress('word: Word file mode latency both ways and Graph requests per edit, against Google Docs');
    const word = await runWordFileBench(progress);
    print(wordFileTable(word));
    return word;
  },
  async googleQuota() {
    progress(
      'google quota: 1 to 50 active linked documents on one credential, the emulator enforcing quotas',
    );
    const points = await runGoogleQuotaBench(progress);
    print(googleQuotaTable(points));
    return points;
  },
  async conversion() {
    try {
      progress('conversion');
      const conversion = await conversionFigures();
      // The conversion bench prints its own table; its figures join the JSON line below.
      if (!conversion) progress('bench/conversion.ts not present; skipped');
      return conversion;
    } catch (error) {
      process.exitCode = 1;
      return { error: error instanceof Error ? error.message : String(error) };
    }
  },
};

function selectedParts(argv: string[]): string[] {
  const at = argv.indexOf('--only');
  // `idle` is the first rows of `scale` on their own: run only when named.
  if (at === -1) return Object.keys(parts).filter((name) => name !== 'idle');
  const wanted = (argv[at + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((name) => !(name in parts));
  if (wanted.length === 0 || unknown.length > 0) {
    throw new Error(`--only takes a comma-separated list of: ${Object.keys(parts).join(', ')}`);
  }
  return wanted;
}

async function main(): Promise<void> {
  const started = performance.now();
  const results: Record<string, unknown> = {};
  for (const name of selectedParts(process.argv.slice(2))) results[name] = await parts[name]!();
  const figures = {
    machine: { cpus: cpus().length, node: process.version },
    durationS: Math.round((performance.now() - started) / 1000),
    ...results,
  };
  print(`\n${JSON.stringify(figures)}`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(killStarted);
