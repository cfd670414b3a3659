import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestClient, waitFor } from '../helpers/clients.ts';
import { googleParagraphs, liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { type GoogleLinkEnv, startGoogleLinkEnv } from '../helpers/googleLinkEnv.ts';
import { richDocument } from '../unit/gdocs/richDocument.ts';

let env: GoogleLinkEnv;
beforeAll(async () => {
  env = await startGoogleLinkEnv();
});
afterAll(() => env?.close());

interface LinkView {
  status: string;
  statusDetail: string | null;
  lastError: string | null;
}

/** Links a fresh Google Doc to a fresh document and returns a web client on it, once the content arrived. */
async function linked(name: string, paragraphs: string[]) {
  const googleId = await env.newGoogleDoc(paragraphs);
  expect((await env.link(`dept-a/${name}`, googleId)).status).toBe(201);
  const client = await env.client(`dept-a/${name}`);
  await waitFor(
    () => liveParagraphs(client.doc).join('|') === paragraphs.join('|'),
    'linked content',
    30_000,
  );
  return { googleId, client, doc: `dept-a/${name}` };
}

/** Waits until both sides hold the same paragraphs, and returns them. */
async function converged(googleId: string, client: TestClient, timeoutMs = 60_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const google = googleParagraphs(await env.googleDoc(googleId));
    if (JSON.stringify(google) === JSON.stringify(liveParagraphs(client.doc))) return google;
    if (Date.now() > deadline)
      throw new Error(
        `no convergence: google ${JSON.stringify(google)} web ${JSON.stringify(liveParagraphs(client.doc))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

const once = (text: string, marker: string) => text.split(marker).length - 1;

/** Records every distinct status the API shows for the document's link until stopped. */
function watchStatus(doc: string) {
  const seen: LinkView[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const { body } = await env.api<{ links: LinkView[] }>(`/api/links?doc=${doc}`);
      const view = body.links[0];
      if (view && JSON.stringify(view) !== JSON.stringify(seen.at(-1)))
        seen.push({ status: view.status, statusDetail: view.statusDetail, lastError: view.lastError });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

describe('Google sync under faults', () => {
  it('rides out 429, 500 and 503 bursts, shows it, and converges without duplicates', async () => {
    const { googleId, client, doc } = await linked('bursts', ['alpha', 'beta']);
    const status = watchStatus(doc);
    await env.emulator.control('/control/faults', { status: 429, retryAfterSeconds: 1, count: 1 });
    await env.emulator.control('/control/faults', { status: 500, count: 1 });
    await env.emulator.control('/control/faults', { status: 503, count: 1 });
    liveText(client.doc, 0).insert(5, ' <web-1>');
    await env.googleInsert(googleId, 1, '<google-1> ');
    const final = (await converged(googleId, client)).join('\n');
    await waitFor(() => status.seen.at(-1)?.status === 'synced', 'the link back to synced', 30_000);
    await status.stop();
    expect(once(final, '<web-1>')).toBe(1);
    expect(once(final, '<google-1>')).toBe(1);
    const failures = status.seen.filter((s) => s.status === 'error');
    expect(failures.length, JSON.stringify(status.seen)).toBeGreaterThan(0);
    expect(failures.map((s) => s.lastError).join(' ')).toMatch(/REMOTE_(RATE_LIMITED|UNAVAILABLE)/);
    expect(failures[0]!.statusDetail).toMatch(/^retrying in \d+ s$/);
    expect(status.seen.at(-1)).toMatchObject({ status: 'synced', lastError: null });
  });

  it('renews an expired access token and carries on', async () => {
    const { googleId, client } = await linked('tokens', ['one']);
    await env.emulator.control('/control/expire-tokens', {});
    liveText(client.doc, 0).insert(3, ' <after-expiry>');
    const final = await converged(googleId, client);
    expect(final).toEqual(['one <after-expiry>']);
  });

  it('recovers from a write refused for a revision too old to transform', async () => {
    const { googleId, client } = await linked('conflict', ['base']);
    liveText(client.doc, 0).insert(4, ' <web>');
    // More than the emulator's 50-revision window of Google edits before the debounced push goes out.
    for (let n = 0; n < 60; n++) {
      await env.googleEdit(googleId, [{ insertText: { location: { index: 1 }, text: 'g' } }]);
    }
    const final = (await converged(googleId, client)).join('\n');
    expect(final).toBe(`${'g'.repeat(60)}base <web>`);
  });

  for (const lands of [true, false]) {
    it(`survives kill -9 in the middle of a push that ${lands ? 'lands' : 'fails'}, without duplicate insertions`, async () => {
      const { googleId, client, doc } = await linked(`midpush-${lands}`, ['first', 'second']);
      const writes = await env.batchUpdates();
      // The next batchUpdate is held 3 s by the emulator; when `lands` is false it then fails with 503.
      await env.emulator.control('/control/faults', {
        delayMs: 3000,
        count: 1,
        calls: ['documents.batchUpdate'],
      });
      if (!lands)
        await env.emulator.control('/control/faults', {
          status: 503,
          count: 1,
          calls: ['documents.batchUpdate'],
        });
      liveText(client.doc, 0).insert(5, ' <typed-before-crash>');
      await client.saved();
      const deadline = Date.now() + 20_000;
      while ((await env.batchUpdates()) === writes && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(await env.batchUpdates(), 'a push was in flight').toBeGreaterThan(writes);
      await env.restartServer(true);
      const reader = await env.client(doc);
      await waitFor(
        () => liveParagraphs(reader.doc)[0]?.includes('<typed-before-crash>') ?? false,
        'the acknowledged edit after restart',
      );
      await env.googleInsert(googleId, 1, '<google-after> ');
      const final = (await converged(googleId, reader)).join('\n');
      expect(once(final, '<typed-before-crash>')).toBe(1);
      expect(once(final, '<google-after>')).toBe(1);
    });
  }

  it('keeps content Docbridge does not model (equation, footnote, suggestion, table of contents) through web edits around it', async () => {
    const { documentId } = await env.emulator.control<{ documentId: string }>('/control/documents', {
      title: 'Atoms',
      owner: 'docbridge-sync@dept-a-project.iam.gserviceaccount.com',
      document: richDocument(),
    });
    expect((await env.link('dept-a/atoms', documentId)).status).toBe(201);
    const client = await env.client('dept-a/atoms');
    await waitFor(() => liveParagraphs(client.doc).some((p) => p.startsWith('Energy')), 'the Google content');
    const before = await env.googleDoc(documentId);
    const energy = liveParagraphs(client.doc).findIndex((p) => p.startsWith('Energy'));
    liveText(client.doc, energy).insert(0, '<web-start> ');
    const last = liveParagraphs(client.doc).length - 1;
    liveText(client.doc, last).insert(liveText(client.doc, last).length, ' <web-end>');
    const deadline = Date.now() + 30_000;
    let after = await env.googleDoc(documentId);
    while (!JSON.stringify(after).includes('<web-end>') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      after = await env.googleDoc(documentId);
    }
    const json = JSON.stringify(after);
    expect(json).toContain('<web-start> Energy');
    expect(json).toContain('<web-end>');
    const kinds = (doc: typeof before) =>
      JSON.stringify(doc.body.content)
        .match(/"(equation|footnoteReference|tableOfContents|suggestedInsertionIds)"/g)
        ?.sort();
    expect(kinds(after)).toEqual(kinds(before));
    expect(JSON.stringify((after as { footnotes?: unknown }).footnotes)).toContain('A note.');
  });
});
