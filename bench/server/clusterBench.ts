import { connectClient, type TestClient } from '../../test/helpers/clients.ts';
import {
  type GoogleEmulatorProcess,
  startGoogleEmulatorProcess,
} from '../../test/helpers/googleEmulatorProcess.ts';
import { type Haproxy, startHaproxy } from '../../test/helpers/haproxy.ts';
import {
  type LinkedOnInstance,
  type LinkTakeoverFigures,
  linkOnInstance,
} from '../../test/helpers/linkTakeover.ts';
import { createTempDatabase } from '../../test/helpers/postgres.ts';
import { openConnections, type ServerProcess, startServerProcess } from '../../test/helpers/serverProcess.ts';
import { portalToken, TEST_SECRET } from '../../test/helpers/tokens.ts';
import { startTypingClient } from '../../test/helpers/typingClients.ts';
import { driveLoad } from './fanout.ts';
import { trackPid, untrackPid } from './processTree.ts';
import { formatTable } from './report.ts';
import { onAbort, releaseScratchDir, scratchDir } from './scratch.ts';
import { BENCH_MAX_CONNECTIONS_PER_USER } from './servers.ts';
import { type LatencySummary, sleep, summarize, withTimeout } from './stats.ts';

const REDIS_URL = process.env.DOCBRIDGE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const INSTANCES = 3;

/** Fan-out and failover of several instances behind HAProxy (PostgreSQL + Redis), as compose.yaml runs them. */
export interface ClusterResults {
  instances: number;
  fanout: {
    documents: number;
    clients: number;
    /** Sockets each instance held (leastconn spreads one document's clients over the instances). */
    connectionsPerInstance: number[];
    sent: number;
    undelivered: number;
    latency: LatencySummary;
  };
  failover: {
    clients: number;
    /** Sockets the killed instance held when it got SIGKILL. */
    killedConnections: number;
    /** From the kill to each client's first new acknowledgement through the balancer (ms). */
    reacknowledgedMs: LatencySummary;
    acknowledged: number;
    acknowledgedLost: number;
    typedLost: number;
    /** A Google link the killed instance ran, taken over by a survivor (lease 15 s, scan every 2 s). */
    linkTakeover: LinkTakeoverFigures;
  };
}

/**
 * Three server processes sharing a temporary PostgreSQL database and Redis, behind Debian's HAProxy with the
 * shipped deploy/haproxy.cfg: fan-out latency with each document's clients spread across instances, then
 * typing clients while the busiest instance, which also runs a Google link (emulator process), is killed with
 * SIGKILL: reconnection, acknowledged edits kept, and the link taken over by a survivor.
 */
export async function runClusterBench(progress: (message: string) => void): Promise<ClusterResults> {
  const db = await createTempDatabase();
  const unregister = onAbort(() => db.drop());
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  let balancer: Haproxy | null = null;
  let emulator: GoogleEmulatorProcess | null = null;
  let linked: LinkedOnInstance | null = null;
  const clients: TestClient[] = [];
  try {
    emulator = await startGoogleEmulatorProcess();
    trackPid(emulator.child.pid!);
    for (let i = 0; i < INSTANCES; i++) {
      const dir = scratchDir();
      dirs.push(dir);
      const server = await withTimeout(
        startServerProcess({
          DATABASE_URL: db.url,
          REDIS_URL,
          DOCBRIDGE_JWT_SECRET: TEST_SECRET,
          DOCBRIDGE_DATA_DIR: dir,
          HOST: '127.0.0.1',
          DOCBRIDGE_MAX_CONNECTIONS_PER_USER: BENCH_MAX_CONNECTIONS_PER_USER,
        }),
        60_000,
        'a cluster instance to listen',
      );
      trackPid(server.child.pid!);
      servers.push(server);
    }
    balancer = await startHaproxy(servers.map((s) => s.port));
    trackPid(balancer.child.pid!);
    const token = await portalToken({ docs: { 'dept-a/*': 'edit' } });

    progress(`cluster fan-out: ${INSTANCES} instances behind HAProxy`);
    const documents = 20;
    const perDocument = 6;
    const groups = Array.from({ length: documents }, (_, d) =>
      Array.from({ length: perDocument }, () => connectClient(balancer!.wsUrl, `dept-a/cluster-${d}`, token)),
    );
    clients.push(...groups.flat());
    await withTimeout(Promise.all(clients.map((c) => c.synced)), 60_000, 'cluster clients to sync');
    await sleep(1_000);
    const connectionsPerInstance = await Promise.all(servers.map(openConnections));
    const load = await driveLoad(groups, {
      updatesPerSecondPerClient: 2,
      durationMs: 8_000,
      clientsPerDocument: perDocument,
      drainMs: 5_000,
    });
    for (const client of clients.splice(0)) client.destroy();
    // The balancer counts live sockets (leastconn): let the instances see these close before the next phase.
    const drained = async () => {
      while ((await Promise.all(servers.map(openConnections))).some((count) => count > 0)) await sleep(100);
    };
    await withTimeout(drained(), 30_000, 'the fan-out sockets to close');

    progress('cluster failover: kill -9 of the busiest instance under load');
    const typists = Array.from({ length: 18 }, (_, i) =>
      startTypingClient(balancer!.wsUrl, `dept-a/failover-${i % 6}`, token, `c${i}`, 100),
    );
    clients.push(...typists.map((t) => t.client));
    await withTimeout(Promise.all(typists.map((t) => t.client.synced)), 60_000, 'typists to sync');
    const ackedSome = async () => {
      while (!typists.every((t) => t.acknowledged().length >= 5)) await sleep(20);
    };
    await withTimeout(ackedSome(), 60_000, 'first acknowledgements');
    const counts = await Promise.all(servers.map(openConnections));
    const victimIndex = counts.indexOf(Math.max(...counts));
    const victim = servers[victimIndex]!;
    progress('cluster failover: a Google link on the instance to be killed');
    linked = await linkOnInstance({
      runner: victim,
      emulator,
      databaseUrl: db.url,
      clientWsUrl: balancer.wsUrl,
      clients: 3,
    });
    let before: number[] = [];
    let killedAt = 0;
    const takeover = linked.killAndMeasure(async () => {
      before = typists.map((t) => t.acknowledged().length);
      killedAt = performance.now();
      await victim.kill9();
      untrackPid(victim.child.pid!);
    }, 120_000);
    // A failure before the kill (the web edit never acknowledged) rejects `takeover`: surface it here.
    while (killedAt === 0) await Promise.race([takeover, sleep(10)]);
    const reacknowledged: number[] = typists.map(() => Number.NaN);
    const waitAll = async () => {
      while (reacknowledged.some(Number.isNaN)) {
        typists.forEach((t, i) => {
          if (Number.isNaN(reacknowledged[i]!) && t.acknowledged().length > before[i]!)
            reacknowledged[i] = performance.now() - killedAt;
        });
        await sleep(10);
      }
    };
    await withTimeout(waitAll(), 120_000, 'every typist to be acknowledged after the kill');
    progress('cluster failover: waiting for a survivor to take the link over');
    const linkTakeover = await takeover;
    await sleep(2_000);
    for (const typist of typists) typist.stopTyping();
    await withTimeout(Promise.all(typists.map((t) => t.client.saved())), 60_000, 'typists to save');
    let acknowledgedLost = 0;
    let typedLost = 0;
    for (let d = 0; d < 6; d++) {
      const reader = connectClient(balancer.wsUrl, `dept-a/failover-${d}`, token);
      clients.push(reader);
      await withTimeout(reader.synced, 30_000, 'a reader after the failover');
      await sleep(500);
      const text = reader.text.toString();
      for (const typist of typists.filter((_, i) => i % 6 === d)) {
        acknowledgedLost += typist.acknowledged().filter((m) => !text.includes(m)).length;
        typedLost += typist.typed.filter((m) => !text.includes(m)).length;
      }
    }
    return {
      instances: INSTANCES,
      fanout: {
        documents,
        clients: documents * perDocument,
        connectionsPerInstance,
        sent: load.sent,
        undelivered: load.undelivered,
        latency: summarize(load.latencies),
      },
      failover: {
        clients: typists.length,
        killedConnections: counts[victimIndex]!,
        reacknowledgedMs: summarize(reacknowledged),
        acknowledged: typists.reduce((sum, t) => sum + t.acknowledged().length, 0),
        acknowledgedLost,
        typedLost,
        linkTakeover,
      },
    };
  } finally {
    linked?.destroy();
    for (const client of clients) client.destroy();
    if (balancer) {
      await balancer.stop();
      untrackPid(balancer.child.pid!);
    }
    for (const server of servers) {
      await server.stop();
      untrackPid(server.child.pid!);
    }
    if (emulator) {
      await emulator.stop();
      untrackPid(emulator.child.pid!);
    }
    for (const dir of dirs) releaseScratchDir(dir);
    await db.drop();
    unregister();
  }
}

/** The cluster figures as a table. */
export function clusterTable(r: ClusterResults): string {
  const f = r.fanout;
  const k = r.failover;
  return [
    formatTable(
      `${r.instances} instances behind HAProxy (PostgreSQL + Redis): fan-out across instances, ms`,
      ['documents', 'clients', 'sockets per instance', 'sent', 'undelivered', 'p50', 'p95', 'p99'],
      [
        [
          f.documents,
          f.clients,
          f.connectionsPerInstance.join('/'),
          f.sent,
          f.undelivered,
          f.latency.p50,
          f.latency.p95,
          f.latency.p99,
        ],
      ],
    ),
    formatTable(
      'kill -9 of the busiest instance under load (typing clients reconnect through HAProxy)',
      [
        'clients',
        'killed sockets',
        're-acked p50 ms',
        're-acked max ms',
        'acknowledged',
        'acked lost',
        'typed lost',
      ],
      [
        [
          k.clients,
          k.killedConnections,
          k.reacknowledgedMs.p50,
          k.reacknowledgedMs.max,
          k.acknowledged,
          k.acknowledgedLost,
          k.typedLost,
        ],
      ],
    ),
    formatTable(
      'link run by the killed instance: ms from the kill until',
      ['another instance holds the lease', 'Google edit in every client', 'acked web edit in Google', 'lost'],
      [
        [
          Math.round(k.linkTakeover.leaseTakenMs),
          Math.round(k.linkTakeover.remoteEditSeenMs),
          Math.round(k.linkTakeover.webEditInGoogleMs),
          k.linkTakeover.webEditsLost + k.linkTakeover.remoteEditsLost,
        ],
      ],
    ),
  ].join('\n');
}
