import type { TestClient } from './clients.ts';
import { liveParagraphs, liveText } from './googleDocs.ts';
import type { MicrosoftLinkEnv } from './microsoftLinkEnv.ts';

/**
 * Times `count` edits made one at a time, each until the other side `shows` it (checked every 50 ms, at most
 * `timeoutMs` each): the latency a person on the other side sees. Shared by the sync tests, which print it,
 * and the bench, which reports it.
 */
export async function timeEdits(
  count: number,
  edit: (n: number) => Promise<unknown> | undefined,
  shows: (n: number) => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<number[]> {
  const latencies: number[] = [];
  for (let n = 0; n < count; n++) {
    const started = Date.now();
    await edit(n);
    const deadline = started + timeoutMs;
    while (!(await shows(n))) {
      if (Date.now() > deadline) throw new Error(`${what} ${n} did not arrive within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    latencies.push(Date.now() - started);
  }
  return latencies;
}

/** Word file mode both ways: latencies, and Graph requests per edit (reads include the polling meanwhile). */
export interface WordRoundTrips {
  webToWordMs: number[];
  wordToWebMs: number[];
  uploadsPerEdit: number;
  readsPerEdit: number;
  readsPerSave: number;
}

const GRAPH_READS = ['item.get', 'item.content', 'item.download'];

/**
 * `count` web edits (a marker appended to paragraph 1) until the Word file holds each, then `count` Word saves
 * (a marker appended to paragraph 0) until the web client shows each, counting the emulator's calls. Markers
 * carry `round` when there is one, so that repeated calls on one file stay distinct.
 */
export async function wordRoundTrips(
  env: MicrosoftLinkEnv,
  itemId: string,
  client: TestClient,
  count: number,
  round = '',
): Promise<WordRoundTrips> {
  const reads = (stats: Awaited<ReturnType<MicrosoftLinkEnv['stats']>>) =>
    GRAPH_READS.reduce((sum, kind) => sum + (stats.calls[kind] ?? 0), 0);
  const before = await env.stats();
  const webToWordMs = await timeEdits(
    count,
    async (n) => {
      const text = liveText(client.doc, 1);
      text.insert(text.length, ` <w${round}${n}>`);
    },
    async (n) => (await env.wordParagraphs(itemId))[1]?.includes(` <w${round}${n}>`) ?? false,
    'web edit',
  );
  const middle = await env.stats();
  const wordToWebMs = await timeEdits(
    count,
    (n) => env.wordSave(itemId, [{ appendText: { paragraph: 0, text: ` [d${round}${n}]` } }]),
    (n) => liveParagraphs(client.doc)[0]?.includes(` [d${round}${n}]`) ?? false,
    'Word save',
  );
  const after = await env.stats();
  return {
    webToWordMs,
    wordToWebMs,
    uploadsPerEdit: (middle.uploads.length - before.uploads.length) / count,
    readsPerEdit: (reads(middle) - reads(before)) / count,
    readsPerSave: (reads(after) - reads(middle)) / count,
  };
}
