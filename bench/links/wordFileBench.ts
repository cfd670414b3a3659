/**
 * Word file mode figures (issue 12): how long a web edit takes to land in the Word file and a Word save to
 * reach the web client (p50/p95), and the Graph requests each costs, through the real server and the Graph
 * emulator as separate processes. The same loop against a Google Doc through the Google emulator is the
 * baseline, measured in the same run and alternated with it in rounds: the same engine and timings, over an
 * API that edits a document instead of replacing a file.
 */
import type { TestClient } from '../../test/helpers/clients.ts';
import { waitFor } from '../../test/helpers/clients.ts';
import { googleParagraphs, liveParagraphs, liveText } from '../../test/helpers/googleDocs.ts';
import { type GoogleLinkEnv, startGoogleLinkEnv } from '../../test/helpers/googleLinkEnv.ts';
import { type MicrosoftLinkEnv, startMicrosoftLinkEnv } from '../../test/helpers/microsoftLinkEnv.ts';
import { timeEdits, wordRoundTrips } from '../../test/helpers/roundTrips.ts';
import { formatTable } from '../server/report.ts';
import { onAbort } from '../server/scratch.ts';
import { type LatencySummary, round, summarize } from '../server/stats.ts';

/** One suite's figures: latency each way, and requests per edit (reads include the polling meanwhile). */
export interface FileModeFigures {
  webToRemote: LatencySummary;
  remoteToWeb: LatencySummary;
  writesPerEdit: number;
  readsPerEdit: number;
  readsPerRemoteEdit: number;
}

export interface WordFileFigures {
  edits: number;
  word: FileModeFigures;
  google: FileModeFigures;
}

const ROUNDS = 4;
const EDITS_PER_ROUND = 5;

type Counts = { writes: number; readsPerEdit: number; readsPerRemoteEdit: number };

/** A Google Doc linked like the Word file: web edits until Google shows each, Google edits until the web does. */
async function googleRound(env: GoogleLinkEnv, googleId: string, client: TestClient, tag: string) {
  const reads = async () =>
    (await env.emulator.control<{ calls: Record<string, number> }>('/control/stats')).calls[
      'documents.get'
    ] ?? 0;
  const [writes0, reads0] = [await env.batchUpdates(), await reads()];
  const webToRemote = await timeEdits(
    EDITS_PER_ROUND,
    async (n) => {
      const text = liveText(client.doc, 1);
      text.insert(text.length, ` <w${tag}${n}>`);
    },
    async (n) => googleParagraphs(await env.googleDoc(googleId))[1]?.includes(` <w${tag}${n}>`) ?? false,
    'web edit',
  );
  const [writes1, reads1] = [await env.batchUpdates(), await reads()];
  const remoteToWeb = await timeEdits(
    EDITS_PER_ROUND,
    (n) => env.googleInsert(googleId, 0, `[g${tag}${n}] `),
    (n) => liveParagraphs(client.doc)[0]?.includes(`[g${tag}${n}] `) ?? false,
    'Google edit',
  );
  const reads2 = await reads();
  const counts: Counts = {
    writes: writes1 - writes0,
    readsPerEdit: reads1 - reads0,
    readsPerRemoteEdit: reads2 - reads1,
  };
  return { webToRemote, remoteToWeb, counts };
}

function figures(webToRemote: number[], remoteToWeb: number[], counts: Counts[]): FileModeFigures {
  const edits = webToRemote.length;
  const total = (key: keyof Counts) => counts.reduce((sum, c) => sum + c[key], 0);
  return {
    webToRemote: summarize(webToRemote),
    remoteToWeb: summarize(remoteToWeb),
    writesPerEdit: round(total('writes') / edits),
    readsPerEdit: round(total('readsPerEdit') / edits),
    readsPerRemoteEdit: round(total('readsPerRemoteEdit') / edits),
  };
}

/** Runs the Word file mode figures against the Google baseline, alternated in rounds; the caller prints them. */
export async function runWordFileBench(progress: (message: string) => void): Promise<WordFileFigures> {
  const envs: (MicrosoftLinkEnv | GoogleLinkEnv)[] = [];
  const closeAll = async () => {
    for (const env of envs.splice(0)) await env.close();
  };
  const forget = onAbort(closeAll);
  try {
    const word = await startMicrosoftLinkEnv();
    envs.push(word);
    const google = await startGoogleLinkEnv();
    envs.push(google);
    const file = await word.newWordFile(['Bench policy', 'Draft']);
    const linkedWord = await word.link('dept-a/bench-word', await word.sharingLink(file.itemId));
    const googleId = await google.newGoogleDoc(['Bench policy', 'Draft']);
    const linkedGoogle = await google.link('dept-a/bench-google', googleId);
    if (linkedWord.status !== 201 || linkedGoogle.status !== 201) throw new Error('linking failed');
    const wordClient = await word.client('dept-a/bench-word');
    const googleClient = await google.client('dept-a/bench-google');
    for (const client of [wordClient, googleClient]) {
      await waitFor(() => liveParagraphs(client.doc).length === 2, 'the linked content', 60_000);
    }

    const wordTimes = { web: [] as number[], remote: [] as number[], counts: [] as Counts[] };
    const googleTimes = { web: [] as number[], remote: [] as number[], counts: [] as Counts[] };
    for (let r = 0; r < ROUNDS; r++) {
      progress(`word file mode: round ${r + 1} of ${ROUNDS} (Word, then Google)`);
      const trips = await wordRoundTrips(word, file.itemId, wordClient, EDITS_PER_ROUND, `r${r}.`);
      wordTimes.web.push(...trips.webToWordMs);
      wordTimes.remote.push(...trips.wordToWebMs);
      wordTimes.counts.push({
        writes: trips.uploadsPerEdit * EDITS_PER_ROUND,
        readsPerEdit: trips.readsPerEdit * EDITS_PER_ROUND,
        readsPerRemoteEdit: trips.readsPerSave * EDITS_PER_ROUND,
      });
      const baseline = await googleRound(google, googleId, googleClient, `r${r}.`);
      googleTimes.web.push(...baseline.webToRemote);
      googleTimes.remote.push(...baseline.remoteToWeb);
      googleTimes.counts.push(baseline.counts);
    }
    return {
      edits: ROUNDS * EDITS_PER_ROUND,
      word: figures(wordTimes.web, wordTimes.remote, wordTimes.counts),
      google: figures(googleTimes.web, googleTimes.remote, googleTimes.counts),
    };
  } finally {
    forget();
    await closeAll();
  }
}

/** The figures as a table for stdout. */
export function wordFileTable(result: WordFileFigures): string {
  const row = (name: string, f: FileModeFigures) => [
    name,
    `${f.webToRemote.p50} / ${f.webToRemote.p95}`,
    `${f.remoteToWeb.p50} / ${f.remoteToWeb.p95}`,
    `${f.writesPerEdit}`,
    `${f.readsPerEdit} / ${f.readsPerRemoteEdit}`,
  ];
  return formatTable(
    `file mode latency, ${result.edits} edits each way, server + emulators as processes (ms, p50 / p95)`,
    ['suite', 'web -> remote', 'remote -> web', 'writes per web edit', 'reads per web / remote edit'],
    [row('Word (Graph)', result.word), row('Google Docs (baseline)', result.google)],
  );
}
