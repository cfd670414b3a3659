import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { clientBundleTable, runClientBundleBench } from './clientBundle.ts';
import { runFanoutBench } from './server/fanoutBench.ts';
import { runFootprintBench } from './server/footprint.ts';
import { hostileImportTable, runHostileImportBench } from './server/hostileImportBench.ts';
import { runPersistBench } from './server/persistBench.ts';
import { killStarted } from './server/processTree.ts';
import { fanoutTable, footprintTable, memoryTable, persistTable } from './server/report.ts';
import { removeScratchDirs, runAbortHooks } from './server/scratch.ts';

/**
 * `npm run bench`: the figures of docs/benchmarks.md (start-up time and idle RSS, the web client's JavaScript
 * per page, persist latency, fan-out latency against plain
 * Hocuspocus, memory per document and per connection), then the conversion bench when bench/conversion.ts
 * exists. Tables go to stdout as each part finishes, progress to stderr, and the last stdout line is one
 * JSON object with every figure. Every child process is stopped at the end, on error and on a signal.
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

async function main(): Promise<void> {
  const started = performance.now();
  progress('footprint: start-up time and idle RSS, docbridge in local mode and plain Hocuspocus, alternated');
  const footprint = await runFootprintBench();
  print(footprintTable(footprint));
  progress('web client: JavaScript each page loads before its first paint');
  const client = await runClientBundleBench();
  print(clientBundleTable(client));

  progress('persist latency (storage level, then end to end on SQLite, PostgreSQL and plain Hocuspocus)');
  const persist = await runPersistBench();
  print(persistTable(persist));

  progress('fan-out and memory: docbridge and plain Hocuspocus, alternated, 3 rounds each');
  const fanout = await runFanoutBench();
  print(fanoutTable(fanout));
  print(memoryTable(fanout));

  progress('/healthz under ten hostile imports at once');
  const hostileImports = await runHostileImportBench();
  print(hostileImportTable(hostileImports));

  let conversion: object | null = null;
  try {
    progress('conversion');
    conversion = await conversionFigures();
    // The conversion bench prints its own table; its figures join the JSON line below.
    if (!conversion) progress('bench/conversion.ts not present; skipped');
  } catch (error) {
    conversion = { error: error instanceof Error ? error.message : String(error) };
    process.exitCode = 1;
  }

  const figures = {
    machine: { cpus: cpus().length, node: process.version },
    durationS: Math.round((performance.now() - started) / 1000),
    footprint,
    client,
    persist,
    fanout,
    hostileImports,
    conversion,
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
