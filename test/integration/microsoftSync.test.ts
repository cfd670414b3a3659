import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { type MicrosoftLinkEnv, startMicrosoftLinkEnv } from '../helpers/microsoftLinkEnv.ts';

let env: MicrosoftLinkEnv;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;

beforeAll(async () => {
  env = await startMicrosoftLinkEnv();
});
afterAll(() => env?.close());

describe('Word file sync through Graph, server + emulator as separate processes', () => {
  it('links a Word file by its sharing link and carries 20 edits each way', async () => {
    const file = await env.newWordFile(['Housing policy', 'Draft one']);
    const created = await env.link('dept-a/housing', await env.sharingLink(file.itemId));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const client = await env.client('dept-a/housing');
    await waitFor(
      () => liveParagraphs(client.doc).join('|') === 'Housing policy|Draft one',
      'the Word content in the client',
      30_000,
    );

    // Web edits reach the Word file.
    const webLatencies: number[] = [];
    const before = await env.stats();
    for (let n = 0; n < 20; n++) {
      const marker = ` <w${n}>`;
      const started = Date.now();
      liveText(client.doc, 1).insert(liveText(client.doc, 1).length, marker);
      const deadline = Date.now() + 30_000;
      while (!(await env.wordParagraphs(file.itemId))[1]?.includes(marker)) {
        if (Date.now() > deadline) throw new Error(`web edit ${n} never reached the Word file`);
        await new Promise((r) => setTimeout(r, 50));
      }
      webLatencies.push(Date.now() - started);
    }
    const after = await env.stats();
    const uploads = after.uploads.length - before.uploads.length;
    console.log(
      `web -> Word: 20 edits, p50 ${percentile(webLatencies, 50)} ms, p95 ${percentile(webLatencies, 95)} ms; ${uploads} uploads (${(uploads / 20).toFixed(2)} per edit)`,
    );

    // Word saves reach the web.
    const wordLatencies: number[] = [];
    for (let n = 0; n < 20; n++) {
      const started = Date.now();
      await env.wordSave(file.itemId, [{ appendText: { paragraph: 0, text: ` [d${n}]` } }]);
      await waitFor(
        () => liveParagraphs(client.doc)[0]!.includes(`[d${n}]`),
        `Word save ${n} in the client`,
        30_000,
      );
      wordLatencies.push(Date.now() - started);
    }
    console.log(
      `Word -> web: 20 saves, p50 ${percentile(wordLatencies, 50)} ms, p95 ${percentile(wordLatencies, 95)} ms`,
    );
    expect(await env.wordParagraphs(file.itemId)).toEqual(liveParagraphs(client.doc));
    const stats = await env.stats();
    expect(stats.uploads.length).toBeGreaterThan(0);
    expect(
      stats.uploads.every((u) => u.ifMatch !== null),
      'every upload conditional',
    ).toBe(true);
  });
});
