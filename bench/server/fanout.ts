import { loadavg } from 'node:os';
import type { YMapEvent } from 'yjs';
import { WRITER_THREAD_NAME } from '../../server/storage/sqliteWriterProtocol.ts';
import { connectClient, type TestClient } from '../../test/helpers/clients.ts';
import { cpuMs, mainThreadCpuMs, namedThreadsCpuMs, rssKiB } from './processTree.ts';
import type { BenchServer } from './servers.ts';
import { round, sleep, withTimeout } from './stats.ts';

/** The load of one fan-out round; the defaults are the figures docs/benchmarks.md reports. */
export interface FanoutOptions {
  documents: number;
  clientsPerDocument: number;
  updatesPerSecondPerClient: number;
  durationMs: number;
  /** Pause before each RSS sample, so the server has finished handling the connections just opened. */
  settleMs: number;
  /** How long to wait after the last send for late deliveries before counting what is missing. */
  drainMs: number;
}

export const defaultFanoutOptions: FanoutOptions = {
  documents: 20,
  clientsPerDocument: 5,
  updatesPerSecondPerClient: 2,
  durationMs: 10_000,
  settleMs: 1_500,
  drainMs: 5_000,
};

/** RSS of the server process (KiB) at the three sampling points, and the per-item deltas derived from them. */
export interface MemorySample {
  baselineKiB: number;
  afterDocumentsKiB: number;
  afterConnectionsKiB: number;
  perDocumentKiB: number;
  perConnectionKiB: number;
}

/** What one round against one server measured. */
export interface FanoutRound {
  kind: BenchServer['kind'];
  round: number;
  memory: MemorySample;
  sent: number;
  expected: number;
  delivered: number;
  undelivered: number;
  /** CPU time the server process used while the load ran (user + system, ms): contention-proof cost. */
  serverCpuMs: number;
  /** The part of `serverCpuMs` spent on the main thread (the event loop that fans updates out). */
  serverMainThreadCpuMs: number;
  /** The part of `serverCpuMs` spent on Docbridge's SQLite writer thread (commits and their fsync; 0 on plain). */
  serverWriterThreadCpuMs: number;
  /** 1-minute load average of the machine when the load started: how shared the 2 cores were. */
  loadAverage: number;
  /** Sender's insert to a receiver observing it, one sample per delivery (ms). */
  latencies: number[];
  /** Sender's insert to its provider having nothing unacknowledged ("saved"), one sample per update (ms). */
  ackLatencies: number[];
}

/**
 * One round against a freshly started server: samples its RSS idle (after a warm-up document was opened
 * and closed), after opening every document with one client, and after the remaining clients joined; then
 * every client sets a new key in the document's `Y.Map('fanout')` at a fixed rate (phases spread evenly
 * over the period) and every other client of that document records when it observes the key. Clients live in this process, so sending and receiving are
 * timed on one clock. Delivery is counted per (key, receiver) pair.
 */
export async function runFanoutRound(
  server: BenchServer,
  roundNumber: number,
  options: FanoutOptions = defaultFanoutOptions,
): Promise<FanoutRound> {
  const { documents, clientsPerDocument, settleMs } = options;
  const clients: TestClient[][] = Array.from({ length: documents }, () => []);
  const connect = async (count: number) => {
    const joined = clients.map((group, d) => {
      const added = Array.from({ length: count }, () =>
        connectClient(server.wsUrl, `dept-a/fanout-${roundNumber}-${d}`, server.token),
      );
      group.push(...added);
      return added;
    });
    await withTimeout(
      Promise.all(joined.flat().map((client) => client.synced)),
      30_000,
      `${count * documents} clients to sync with ${server.label}`,
    );
    await sleep(settleMs);
  };
  try {
    await warmUp(server, roundNumber);
    await sleep(settleMs);
    const baselineKiB = rssKiB(server.pid);
    await connect(1);
    const afterDocumentsKiB = rssKiB(server.pid);
    await connect(clientsPerDocument - 1);
    const afterConnectionsKiB = rssKiB(server.pid);
    const memory: MemorySample = {
      baselineKiB,
      afterDocumentsKiB,
      afterConnectionsKiB,
      perDocumentKiB: round((afterDocumentsKiB - baselineKiB) / documents),
      perConnectionKiB: round(
        (afterConnectionsKiB - afterDocumentsKiB) / (documents * (clientsPerDocument - 1)),
      ),
    };
    await untilQuiet(server.pid);
    const loadAverage = round(loadavg()[0]!);
    const cpuBefore = cpuMs(server.pid);
    const mainBefore = mainThreadCpuMs(server.pid);
    const writerBefore = namedThreadsCpuMs(server.pid, WRITER_THREAD_NAME);
    const delivery = await driveLoad(clients, options);
    const serverCpuMs = cpuMs(server.pid) - cpuBefore;
    const serverMainThreadCpuMs = mainThreadCpuMs(server.pid) - mainBefore;
    const serverWriterThreadCpuMs = namedThreadsCpuMs(server.pid, WRITER_THREAD_NAME) - writerBefore;
    return {
      kind: server.kind,
      round: roundNumber,
      memory,
      serverCpuMs,
      serverMainThreadCpuMs,
      serverWriterThreadCpuMs,
      loadAverage,
      ...delivery,
    };
  } finally {
    for (const client of clients.flat()) client.destroy();
  }
}

/**
 * Waits (at most 15 s) until the server uses less than 5 % of a core over half a second, so that background
 * work started before the load (the warm-up document's compaction, the optimizing compiles of what just ran) is
 * not counted as the cost of the updates. Exported for the paired rounds, which measure two servers at once.
 */
export async function untilQuiet(pid: number): Promise<void> {
  const windowMs = 500;
  const deadline = performance.now() + 15_000;
  let before = cpuMs(pid);
  while (performance.now() < deadline) {
    await sleep(windowMs);
    const now = cpuMs(pid);
    if (now - before <= windowMs * 0.05) return;
    before = now;
  }
}

/**
 * One document opened, edited and closed before the idle sample, so that one-time costs of a server's first
 * document (lazily loaded modules, first JIT of the load, auth and write paths, prepared statements) count
 * in the idle figure rather than being spread over the 20 documents measured after it.
 */
async function warmUp(server: BenchServer, roundNumber: number): Promise<void> {
  const client = connectClient(server.wsUrl, `dept-a/warm-up-${roundNumber}`, server.token);
  try {
    await withTimeout(client.synced, 30_000, `a warm-up client to sync with ${server.label}`);
    client.doc.getMap<string>('fanout').set('warm-up', 'x');
    await withTimeout(client.saved(), 10_000, `the warm-up edit to be acknowledged by ${server.label}`);
  } finally {
    client.destroy();
  }
}

/**
 * Every client sets a new key in its document's `Y.Map('fanout')` at the configured rate and every other client
 * of that document timestamps its arrival; resolves with the counts and one latency sample per delivery.
 * Exported for the cluster bench, whose clients reach several instances through a load balancer.
 */
export async function driveLoad(
  clients: TestClient[][],
  options: Pick<FanoutOptions, 'updatesPerSecondPerClient' | 'durationMs' | 'clientsPerDocument' | 'drainMs'>,
) {
  const periodMs = 1000 / options.updatesPerSecondPerClient;
  const sendsPerClient = Math.floor(options.durationMs / periodMs);
  const receivers = options.clientsPerDocument - 1;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  let sent = 0;

  const all = clients.flatMap((group, d) => group.map((client, c) => ({ client, d, c })));
  for (const { client } of all) {
    const seen = new Set<string>();
    client.doc.getMap<string>('fanout').observe((event: YMapEvent<string>) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const at = sentAt.get(key);
        if (at === undefined || seen.has(key)) continue;
        seen.add(key);
        latencies.push(now - at);
      }
    });
  }

  const timers: NodeJS.Timeout[] = [];
  const finished = all.map(
    ({ client, d, c }, index) =>
      new Promise<void>((resolve) => {
        let seq = 0;
        const send = () => {
          const key = `${d}.${c}.${seq++}`;
          const at = performance.now();
          sentAt.set(key, at);
          client.doc.getMap<string>('fanout').set(key, 'x');
          void client.saved().then(() => ackLatencies.push(performance.now() - at));
          sent += 1;
          if (seq >= sendsPerClient) resolve();
        };
        const phase = (index * periodMs) / all.length;
        timers.push(
          setTimeout(() => {
            send();
            const interval = setInterval(
              () => (seq >= sendsPerClient ? clearInterval(interval) : send()),
              periodMs,
            );
            timers.push(interval);
          }, phase),
        );
      }),
  );
  try {
    await withTimeout(Promise.all(finished), options.durationMs + 30_000, 'every sender to finish');
    const expected = sent * receivers;
    const drainUntil = performance.now() + options.drainMs;
    while ((latencies.length < expected || ackLatencies.length < sent) && performance.now() < drainUntil) {
      await sleep(20);
    }
    return {
      sent,
      expected,
      delivered: latencies.length,
      undelivered: expected - latencies.length,
      latencies,
      ackLatencies,
    };
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}
