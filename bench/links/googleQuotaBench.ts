/**
 * Google quota under many links (issue 16 part 4): one credential, 1 to 50 active linked documents, the
 * server and the Google emulator (which enforces Google's per-user Docs quotas) as separate processes.
 * Every linked document is kept active by Google edits; a few are open in web clients, and the time from a
 * Google edit to those clients is measured while the others load the credential's budget.
 */
import type { TestClient } from '../../test/helpers/clients.ts';
import { liveParagraphs } from '../../test/helpers/googleDocs.ts';
import { startGoogleLinkEnv } from '../../test/helpers/googleLinkEnv.ts';
import { trackPid, untrackPid } from '../server/processTree.ts';
import { formatTable } from '../server/report.ts';
import { type LatencySummary, sleep, summarize, withTimeout } from '../server/stats.ts';

const COUNTS = (process.env.BENCH_GOOGLE_DOCUMENTS ?? '1,10,25,50').split(',').map(Number);
/** Documents with a web editor open, at each count (the rest are linked and active, with nobody in them). */
const OPEN = 3;
const WINDOW_MS = 45_000;
/** Google edits per second over all documents: each open document gets one every second or so. */
const EDITS_PER_SECOND = 4;

export interface GoogleQuotaPoint {
  activeDocuments: number;
  openDocuments: number;
  /** Google edit to every web client of an open document (ms). */
  remoteToWeb: LatencySummary;
  /** Google edits to open documents that never reached the web client within the window plus 30 s. */
  undelivered: number;
  /** API calls per minute over the window, by method, as the emulator counted them. */
  callsPerMinute: Record<string, number>;
  /** Requests the emulator refused over quota (429) during the window. */
  refusedOverQuota: number;
}

interface EmulatorStats {
  calls: Record<string, number>;
  quotaRefused: { read: number; write: number };
}

/** Runs the points of `COUNTS` on one server and one emulator, adding links as the count grows. */
export async function runGoogleQuotaBench(progress: (message: string) => void): Promise<GoogleQuotaPoint[]> {
  const env = await startGoogleLinkEnv();
  trackPid(env.emulator.child.pid!);
  trackPid(env.server.child.pid!);
  const linked: { doc: string; googleId: string }[] = [];
  const clients: TestClient[] = [];
  try {
    const points: GoogleQuotaPoint[] = [];
    for (const count of COUNTS) {
      progress(`google quota: linking documents ${linked.length + 1}-${count}`);
      while (linked.length < count) {
        const n = linked.length;
        const googleId = await env.newGoogleDoc([`edits land here ${n}`, 'second paragraph']);
        const doc = `dept-a/quota-${n}`;
        const answer = await env.link(doc, googleId);
        if (answer.status !== 201) throw new Error(`link refused: ${JSON.stringify(answer.body)}`);
        linked.push({ doc, googleId });
        if (n < OPEN) clients.push(await env.client(doc));
      }
      await withTimeout(
        (async () => {
          while (!clients.every((c, i) => liveParagraphs(c.doc)[0]?.endsWith(`edits land here ${i}`)))
            await sleep(100);
        })(),
        120_000,
        'the open documents to hold their Google content',
      );
      // The window starts once every new link has made its first sync: its first reads are not the load.
      await withTimeout(
        (async () => {
          for (;;) {
            const { body } = await env.api<{ links: { remoteRev: string | null }[] }>('/api/links');
            if (body.links.length >= count && body.links.every((l) => l.remoteRev !== null)) return;
            await sleep(500);
          }
        })(),
        180_000,
        'every link to make its first sync',
      );
      progress(
        `google quota: ${count} active documents, ${Math.min(count, OPEN)} open, ${WINDOW_MS / 1000} s`,
      );
      points.push(await measure(env, linked, clients));
    }
    return points;
  } finally {
    for (const client of clients) client.destroy();
    untrackPid(env.server.child.pid!);
    untrackPid(env.emulator.child.pid!);
    await env.close();
  }
}

async function measure(
  env: Awaited<ReturnType<typeof startGoogleLinkEnv>>,
  linked: { doc: string; googleId: string }[],
  clients: TestClient[],
): Promise<GoogleQuotaPoint> {
  const before = await env.emulator.control<EmulatorStats>('/control/stats');
  const latencies: number[] = [];
  const waits: Promise<void>[] = [];
  let undelivered = 0;
  const started = performance.now();
  const edits = Math.floor((WINDOW_MS / 1000) * EDITS_PER_SECOND);
  for (let e = 0; e < edits; e++) {
    // Open documents get one edit in every `EDITS_PER_SECOND`; the rest go round the other documents.
    const open = e % EDITS_PER_SECOND === 0 || linked.length <= clients.length;
    const index = open
      ? Math.floor(e / EDITS_PER_SECOND) % clients.length
      : clients.length + (e % (linked.length - clients.length));
    const target = linked[index]!;
    const marker = `[g${linked.length}.${e}]`;
    const sent = performance.now();
    await env.googleInsert(target.googleId, 0, marker);
    if (open) {
      const client = clients[index]!;
      waits.push(
        withTimeout(
          (async () => {
            while (!liveParagraphs(client.doc)[0]?.includes(marker)) await sleep(20);
            latencies.push(performance.now() - sent);
          })(),
          WINDOW_MS + 30_000,
          'a Google edit to reach the web client',
        ).catch(() => {
          undelivered += 1;
        }),
      );
    }
    const next = started + ((e + 1) * 1000) / EDITS_PER_SECOND;
    await sleep(Math.max(0, next - performance.now()));
  }
  const minutes = (performance.now() - started) / 60_000;
  const after = await env.emulator.control<EmulatorStats>('/control/stats');
  await Promise.all(waits);
  const callsPerMinute: Record<string, number> = {};
  for (const [method, n] of Object.entries(after.calls)) {
    const delta = n - (before.calls[method] ?? 0);
    if (delta > 0 && method !== 'token') callsPerMinute[method] = Math.round(delta / minutes);
  }
  return {
    activeDocuments: linked.length,
    openDocuments: clients.length,
    remoteToWeb: summarize(latencies),
    undelivered,
    callsPerMinute,
    refusedOverQuota:
      after.quotaRefused.read +
      after.quotaRefused.write -
      before.quotaRefused.read -
      before.quotaRefused.write,
  };
}

/** The quota figures as a table. */
export function googleQuotaTable(points: GoogleQuotaPoint[]): string {
  return formatTable(
    'Google quota: one credential, active linked documents (Google edits), a few open in web clients',
    [
      'active docs',
      'open',
      'remote->web p50 ms',
      'p95 ms',
      'undelivered',
      'documents.get/min',
      'files.get/min',
      'changes.list/min',
      'batchUpdate/min',
      '429s',
    ],
    points.map((p) => [
      p.activeDocuments,
      p.openDocuments,
      p.remoteToWeb.p50,
      p.remoteToWeb.p95,
      p.undelivered,
      p.callsPerMinute['documents.get'] ?? 0,
      p.callsPerMinute['files.get'] ?? 0,
      p.callsPerMinute['changes.list'] ?? 0,
      p.callsPerMinute['documents.batchUpdate'] ?? 0,
      p.refusedOverQuota,
    ]),
  );
}
