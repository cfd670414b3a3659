import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../bin/docbridge.ts';
import { waitFor } from '../helpers/clients.ts';
import { liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { marker } from '../helpers/markers.ts';
import {
  CLIENT_ID,
  type MicrosoftLinkEnv,
  startMicrosoftLinkEnv,
  TENANT_ID,
} from '../helpers/microsoftLinkEnv.ts';
import { seededRandom } from '../helpers/random.ts';
import { wordRoundTrips } from '../helpers/roundTrips.ts';
import { portalToken } from '../helpers/tokens.ts';

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

    // Web edits reach the Word file, Word saves reach the web (`npm run bench -- --only word` reports these).
    const trips = await wordRoundTrips(env, file.itemId, client, 20);
    console.log(
      `web -> Word: 20 edits, p50 ${percentile(trips.webToWordMs, 50)} ms, p95 ${percentile(trips.webToWordMs, 95)} ms; ${trips.uploadsPerEdit.toFixed(2)} uploads and ${trips.readsPerEdit.toFixed(1)} Graph reads per edit (incl. polling)`,
    );
    console.log(
      `Word -> web: 20 saves, p50 ${percentile(trips.wordToWebMs, 50)} ms, p95 ${percentile(trips.wordToWebMs, 95)} ms; ${trips.readsPerSave.toFixed(1)} Graph reads per save (incl. polling)`,
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

describe('Microsoft credentials', () => {
  it('are added by the CLI from a secret file (never printed), verified against the authority, and refused when wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'docbridge-ms-cli-'));
    const secretFile = join(dir, 'secret.txt');
    writeFileSync(secretFile, 'docbridge~emulated~secret\n');
    const out: Uint8Array[] = [];
    const io = {
      readStdin: async () => new Uint8Array(),
      writeStdout: async (bytes: Uint8Array) => {
        out.push(bytes);
      },
      warn: () => {},
      env: {
        DOCBRIDGE_URL: env.server.url,
        DOCBRIDGE_TOKEN: await portalToken({ sub: 'admin-1', admin: true, docs: { 'dept-a/*': 'edit' } }),
      },
    };
    const args = [
      'credentials',
      'add',
      'microsoft',
      '--tenant',
      TENANT_ID,
      '--client',
      CLIENT_ID,
      '--secret-file',
      secretFile,
    ];
    const endpoints = [
      '--endpoints-graph',
      env.emulator.graphUrl,
      '--endpoints-login',
      env.emulator.loginUrl,
      '--json',
    ];
    expect(await main([...args, ...endpoints], io)).toBe(0);
    const printed = Buffer.concat(out).toString('utf8');
    expect(printed).not.toContain('emulated~secret');
    const { id } = JSON.parse(printed) as { id: string };
    expect((await env.api(`/api/credentials/${id}/verify`, {})).body).toEqual({ ok: true });
    writeFileSync(secretFile, 'not-the-secret');
    out.length = 0;
    expect(await main([...args, ...endpoints], io)).toBe(0);
    const wrong = JSON.parse(Buffer.concat(out).toString('utf8')) as { id: string };
    const refused = await env.api<{ ok: boolean; error: string }>(`/api/credentials/${wrong.id}/verify`, {});
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).not.toContain('not-the-secret');
    expect(refused.body.error).toMatch(/refused the app credential \(AADSTS7000215\)/);
    const listed = await env.api<{ credentials: { id: string; metadata: Record<string, unknown> }[] }>(
      '/api/credentials',
    );
    expect(JSON.stringify(listed.body)).not.toContain('emulated~secret');
    expect(listed.body.credentials.find((c) => c.id === id)?.metadata).toMatchObject({
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      kind: 'clientSecret',
    });
  });
});

describe('Word file sync under locks, faults, quiet and concurrency', () => {
  it('makes no upload during 30 s of quiet', async () => {
    const file = await env.newWordFile(['Quiet file']);
    expect((await env.link('dept-a/quiet', file.browserUrl)).status).toBe(201);
    const client = await env.client('dept-a/quiet');
    await waitFor(() => liveParagraphs(client.doc)[0] === 'Quiet file', 'the Word content', 30_000);
    liveText(client.doc, 0).insert(10, ' edited');
    const deadline = Date.now() + 30_000;
    while (!(await env.wordParagraphs(file.itemId))[0]?.endsWith(' edited') && Date.now() < deadline)
      await sleep(100);
    await sleep(3000);
    const before = await env.stats();
    await sleep(30_000);
    const after = await env.stats();
    const reads = (after.calls['item.get'] ?? 0) - (before.calls['item.get'] ?? 0);
    console.log(
      `30 s quiet with the document open: ${after.uploads.length - before.uploads.length} uploads, ${reads} item reads, ${(after.calls['item.download'] ?? 0) - (before.calls['item.download'] ?? 0)} downloads`,
    );
    expect(after.uploads.length - before.uploads.length).toBe(0);
  });

  it('waits while Word holds the file (423, "open in Word"), then lands the edits merged with the lock holder\'s save', async () => {
    const file = await env.newWordFile(['Locked policy', 'Second']);
    expect((await env.link('dept-a/locked', file.webUrl)).status).toBe(201);
    const client = await env.client('dept-a/locked');
    await waitFor(() => liveParagraphs(client.doc)[1] === 'Second', 'the Word content', 30_000);
    await env.openInWord(file.itemId);
    liveText(client.doc, 1).insert(6, ' [web while locked]');
    const statusShown = async () => {
      const { body } = await env.api<{ links: unknown[] }>('/api/links?doc=dept-a/locked');
      return /open in Word/.test(JSON.stringify(body.links));
    };
    const deadline = Date.now() + 30_000;
    while (!(await statusShown()) && Date.now() < deadline) await sleep(200);
    expect(await statusShown(), JSON.stringify((await env.api('/api/links?doc=dept-a/locked')).body)).toBe(
      true,
    );
    await env.wordSave(file.itemId, [{ appendText: { paragraph: 0, text: ' [Word holder]' } }]);
    await sleep(2000);
    expect(
      (await env.stats()).uploads.filter((u) => u.itemId === file.itemId && u.status === 200),
    ).toHaveLength(0);
    const refused = (await env.stats()).uploads.filter(
      (u) => u.itemId === file.itemId && u.status === 423,
    ).length;
    console.log(`while locked: ${refused} upload attempts refused with 423`);
    await env.closeInWord(file.itemId);
    const expected = ['Locked policy [Word holder]', 'Second [web while locked]'];
    const landed = Date.now() + 60_000;
    while ((await env.wordParagraphs(file.itemId)).join('|') !== expected.join('|') && Date.now() < landed)
      await sleep(200);
    expect(await env.wordParagraphs(file.itemId)).toEqual(expected);
    await waitFor(
      () => liveParagraphs(client.doc).join('|') === expected.join('|'),
      'both edits in the client',
      30_000,
    );
  });

  it('recovers from 429 with Retry-After, 503, an expired token and a slow upload without duplicating anything', async () => {
    const file = await env.newWordFile(['Faults']);
    expect((await env.link('dept-a/faults', file.webUrl)).status).toBe(201);
    const client = await env.client('dept-a/faults');
    await waitFor(() => liveParagraphs(client.doc)[0] === 'Faults', 'the Word content', 30_000);
    await env.emulator.control('/control/faults', {
      status: 429,
      retryAfterSeconds: 2,
      count: 1,
      calls: ['item.upload'],
    });
    await env.emulator.control('/control/faults', {
      status: 503,
      count: 2,
      calls: ['item.upload', 'item.get'],
    });
    await env.emulator.control('/control/expire-tokens', {});
    const markers = Array.from({ length: 5 }, (_, n) => ` <f${n}>`);
    for (const m of markers) {
      liveText(client.doc, 0).insert(liveText(client.doc, 0).length, m);
      await sleep(300);
    }
    const expected = `Faults${markers.join('')}`;
    const deadline = Date.now() + 60_000;
    while ((await env.wordParagraphs(file.itemId))[0] !== expected && Date.now() < deadline) await sleep(200);
    expect(await env.wordParagraphs(file.itemId)).toEqual([expected]);
    expect(liveParagraphs(client.doc)).toEqual([expected]);

    // A slow Graph: the next upload is held 4 s, and the Word user saves meanwhile. The held upload's If-Match
    // no longer holds (412); the web edit lands merged with the save, once.
    await env.emulator.control('/control/faults', { delayMs: 4000, count: 1, calls: ['item.upload'] });
    const uploadCalls = async () => (await env.stats()).calls['item.upload'] ?? 0;
    const started = await uploadCalls();
    liveText(client.doc, 0).insert(liveText(client.doc, 0).length, ' <slow>');
    await waitFor(async () => (await uploadCalls()) > started, 'the held upload', 30_000);
    await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: '[saved] ' } }]);
    const merged = `[saved] ${expected} <slow>`;
    await waitFor(
      async () =>
        (await env.wordParagraphs(file.itemId))[0] === merged && liveParagraphs(client.doc)[0] === merged,
      'the slow upload merged with the save on both sides',
      60_000,
    );
    const { uploads } = await env.stats();
    expect(
      uploads.some((u) => u.status === 412),
      'the held upload was refused as stale',
    ).toBe(true);
    expect(uploads.every((u) => u.ifMatch !== null)).toBe(true);
  });

  it('keeps every marker exactly once under concurrent random edits from the web and Word', async () => {
    const file = await env.newWordFile(['p0', 'p1', 'p2', 'p3']);
    expect((await env.link('dept-a/concurrent', file.webUrl)).status).toBe(201);
    const client = await env.client('dept-a/concurrent');
    await waitFor(() => liveParagraphs(client.doc).length === 4, 'the Word content', 30_000);
    const random = seededRandom(12);
    const all: string[] = [];
    for (let n = 0; n < 24; n++) {
      const m = marker(n);
      all.push(m);
      const paragraph = Math.floor(random() * 4);
      if (random() < 0.5) {
        const text = liveText(client.doc, paragraph);
        text.insert(text.length, m);
      } else {
        await env.wordSave(file.itemId, [{ appendText: { paragraph, text: m } }]);
      }
      await sleep(Math.floor(random() * 700));
    }
    const converged = async () => {
      const word = (await env.wordParagraphs(file.itemId)).join('\n');
      const web = liveParagraphs(client.doc).join('\n');
      return word === web && all.every((m) => word.split(m).length === 2);
    };
    const deadline = Date.now() + 90_000;
    while (!(await converged()) && Date.now() < deadline) await sleep(300);
    const word = (await env.wordParagraphs(file.itemId)).join('\n');
    for (const m of all) expect(word.split(m).length - 1, `marker ${m}`).toBe(1);
    expect(liveParagraphs(client.doc).join('\n')).toBe(word);
    expect((await env.stats()).uploads.every((u) => u.ifMatch !== null)).toBe(true);
  });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
