import { loadavg } from 'node:os';
import { connectClient } from '../../test/helpers/clients.ts';
import { driveLoad, type FanoutOptions, untilQuiet } from './fanout.ts';
import { withServer } from './lifecycle.ts';
import { cpuMs } from './processTree.ts';
import { type BenchServer, startOurServer, startPlainServer } from './servers.ts';
import { median, round, sleep, withTimeout } from './stats.ts';

/** One paired round: CPU per 1,000 updates of each server while both took the same load at the same time. */
export interface PairedRound {
  ours: number;
  plain: number;
  ratio: number;
  /** 1-minute load average of the machine when the load started. */
  loadAverage: number;
}

/** The paired rounds of one run and the median of their ratios. */
export interface PairedCpu {
  rounds: PairedRound[];
  /** ours/plain, the median of the rounds' ratios. */
  ratio: number;
}

/**
 * CPU per update of Docbridge against plain Hocuspocus measured side by side: each round starts one fresh server
 * of each kind, gives each its own clients (the same documents and rates) and drives both loads at once, so
 * whatever the shared machine does meanwhile weighs on both alike. The ratios of alternated rounds, run a minute
 * apart, ranged from 0.9 to 1.6 on the bench VM; those of paired rounds stayed within ±0.03 of their median.
 */
export async function runPairedCpu(
  options: FanoutOptions,
  rounds: number,
  progress: (message: string) => void,
): Promise<PairedCpu> {
  const measured: PairedRound[] = [];
  for (let r = 0; r < rounds; r++) {
    progress(`both servers under the same load at once (round ${r + 1} of ${rounds})`);
    measured.push(
      await withServer(
        () => startOurServer({ storage: 'sqlite' }),
        (ours) => withServer(startPlainServer, (plain) => pairedRound([ours, plain], options)),
      ),
    );
  }
  return { rounds: measured, ratio: round(median(measured.map((m) => m.ratio))) };
}

async function pairedRound(
  servers: [BenchServer, BenchServer],
  options: FanoutOptions,
): Promise<PairedRound> {
  const clients = servers.map((server) =>
    Array.from({ length: options.documents }, (_, d) =>
      Array.from({ length: options.clientsPerDocument }, () =>
        connectClient(server.wsUrl, `dept-a/paired-${d}`, server.token),
      ),
    ),
  );
  try {
    await withTimeout(
      Promise.all(clients.flat(2).map((client) => client.synced)),
      60_000,
      'the clients of both servers to sync',
    );
    await sleep(options.settleMs);
    for (const server of servers) await untilQuiet(server.pid);
    const loadAverage = round(loadavg()[0]!);
    const before = servers.map((server) => cpuMs(server.pid));
    const loads = await Promise.all(clients.map((groups) => driveLoad(groups, options)));
    const [ours, plain] = servers.map((server, i) =>
      round(((cpuMs(server.pid) - before[i]!) / loads[i]!.sent) * 1000),
    ) as [number, number];
    return { ours, plain, ratio: round(ours / plain), loadAverage };
  } finally {
    for (const client of clients.flat(2)) client.destroy();
  }
}
