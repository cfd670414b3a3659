import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { linkTable, runLinkBench } from './links/linkBench.ts';
import { runFanoutBench } from './server/fanoutBench.ts';
import { runPersistBench } from './server/persistBench.ts';
import { killStarted } from './server/processTree.ts';
import { fanoutTable, memoryTable, persistTable } from './server/report.ts';
import { removeScratchDirs, runAbortHooks } from './server/scratch.ts';

/**
 * `npm run bench`: the server figures of docs/benchmarks.md (persist latency, fan-out latency against plain
 * Hocuspocus, memory per document and per connection), then the conversion bench when bench/conversion.ts
 * exists, then the link figures (bench/links/linkBench.ts). Tables go to stdout as each part finishes,
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

async function main(): Promise<void> {
  const started = performance.now();
  progress('persist latency (storage level, then end to end on SQLite, PostgreSQL and plain Hocuspocus)');
  const persist = await runPersistBench();
  print(persistTable(persist));

  progress('fan-out and memory: docbridge and plain Hocuspocus, alternated, 3 rounds each');
  const fanout = await runFanoutBench();
  print(fanoutTable(fanout));
  print(memoryTable(fanout));

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

  progress('links: CPU per pull and push, writes per idle poll, document loads while a link is active');
  const links = await runLinkBench();
  print(linkTable(links));

  const figures = {
    machine: { cpus: cpus().length, node: process.version },
    durationS: Math.round((performance.now() - started) / 1000),
    persist,
    fanout,
    conversion,
    links,
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
