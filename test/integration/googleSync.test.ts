import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { docs_v1 } from '@googleapis/docs';
import type { JSONContent } from '@tiptap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { codecs } from '../../bin/commands/formats.ts';
import { writeOverOriginal } from '../../connectors/formats/originalPackage.ts';
import { fromYjs, toYjs } from '../../connectors/model/yjs.ts';
import { waitFor } from '../helpers/clients.ts';
import { googleParagraphs, liveParagraphs, liveText } from '../helpers/googleDocs.ts';
import { type GoogleLinkEnv, SERVICE_ACCOUNT, startGoogleLinkEnv } from '../helpers/googleLinkEnv.ts';

let env: GoogleLinkEnv;

/** The texts of a document's footnotes, in order. */
function footnoteTexts(doc: JSONContent): string[] {
  const text = (n: JSONContent): string => (n.text ?? '') + (n.content ?? []).map(text).join('');
  const out: string[] = [];
  const walk = (n: JSONContent) => {
    if (n.type === 'note' && n.attrs?.kind === 'footnote') out.push(text(n));
    else for (const c of n.content ?? []) walk(c);
  };
  walk(doc);
  return out;
}
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.ceil((p / 100) * values.length) - 1]!;

beforeAll(async () => {
  env = await startGoogleLinkEnv();
});
afterAll(() => env?.close());

describe('Google Docs sync, server + emulator as separate processes', () => {
  it('brings a Google Doc into an empty document, then carries edits both ways', async () => {
    const googleId = await env.newGoogleDoc(['Budget 2027', 'Line one']);
    expect((await env.link('dept-a/budget', googleId)).status).toBe(201);
    const client = await env.client('dept-a/budget');
    await waitFor(
      () => liveParagraphs(client.doc).join('|') === 'Budget 2027|Line one',
      'the Google content in the client',
    );

    // Web edits reach Google: 50 markers typed like a person, one every 150 ms; arrival is polled meanwhile.
    const typedAt = new Map<string, number>();
    const arrivedAfter = new Map<string, number>();
    const observe = async () => {
      const text = googleParagraphs(await env.googleDoc(googleId)).join('\n');
      for (const [m, at] of typedAt)
        if (!arrivedAfter.has(m) && text.includes(m)) arrivedAfter.set(m, Date.now() - at);
    };
    const writesBefore = await env.batchUpdates();
    for (let n = 0; n < 50; n++) {
      const marker = ` <w${n}>`;
      liveText(client.doc, 1).insert(liveText(client.doc, 1).length, marker);
      typedAt.set(marker, Date.now());
      await new Promise((r) => setTimeout(r, 150));
      await observe();
    }
    const deadline = Date.now() + 60_000;
    while (arrivedAfter.size < 50 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      await observe();
    }
    expect(arrivedAfter.size, 'web edits that reached Google').toBe(50);
    const latencies = [...arrivedAfter.values()];
    const writes = (await env.batchUpdates()) - writesBefore;
    console.log(
      `web -> Google: 50 edits, p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms, max ${Math.max(...latencies)} ms; ${writes} batchUpdate calls (${(writes / 50).toFixed(2)} per edit)`,
    );

    // Google edits reach the web.
    const googleLatencies: number[] = [];
    for (let n = 0; n < 10; n++) {
      const started = Date.now();
      await env.googleInsert(googleId, 0, `g${n} `);
      await waitFor(
        () => liveParagraphs(client.doc)[0]!.startsWith(`g${n} `),
        `Google edit ${n} in the client`,
        20_000,
      );
      googleLatencies.push(Date.now() - started);
    }
    console.log(
      `Google -> web: 10 edits, p50 ${percentile(googleLatencies, 50)} ms, p95 ${percentile(googleLatencies, 95)} ms`,
    );
    expect(googleParagraphs(await env.googleDoc(googleId))).toEqual(liveParagraphs(client.doc));
  });

  it("pushes each link's status to the document's editors over their socket as it changes", async () => {
    const googleId = await env.newGoogleDoc(['Pushed status']);
    const client = await env.client('dept-a/pushed');
    const pushed: { status: string; label?: string; at: number }[] = [];
    client.provider.on('stateless', ({ payload }: { payload: string }) => {
      const message = JSON.parse(payload) as { type: string; links: { status: string; label?: string }[] };
      if (message.type === 'docbridge:link-status' && message.links[0])
        pushed.push({ ...message.links[0], at: Date.now() });
    });
    expect((await env.link('dept-a/pushed', googleId)).status).toBe(201);
    await waitFor(() => pushed.some((p) => p.status === 'synced'), 'a pushed synced status', 30_000);
    expect(pushed.find((p) => p.status === 'synced')?.label).toBe('Google Docs');
    // A failing write is shown as it happens (retrying), then synced again once the remote answers.
    // Writes only: the other links of this file keep polling, and must not use the faults up.
    await env.emulator.control('/control/faults', {
      status: 503,
      count: 2,
      calls: ['documents.batchUpdate'],
    });
    const before = pushed.length;
    const typedAt = Date.now();
    liveText(client.doc, 0).insert(0, 'typed ');
    await waitFor(
      () => pushed.slice(before).some((p) => p.status === 'error'),
      'a pushed error status',
      30_000,
    );
    // Recovered: the text reached Google, and the last status pushed says synced.
    await waitFor(
      async () =>
        googleParagraphs(await env.googleDoc(googleId))[0] === 'typed Pushed status' &&
        pushed.at(-1)?.status === 'synced',
      'a pushed recovery',
      30_000,
    );
    const error = pushed.slice(before).find((p) => p.status === 'error')!;
    console.log(
      `link status pushed: error shown ${error.at - typedAt} ms after the edit (push debounce included)`,
    );
    client.destroy();
  });

  it('describes the suites it speaks to admins, and refuses a credential for one it does not', async () => {
    const suites = await env.api<{ suites: { provider: string; label: string; url: { pattern: string } }[] }>(
      '/api/suites',
    );
    expect(suites.status).toBe(200);
    const google = suites.body.suites.find((suite) => suite.provider === 'google');
    expect(google?.label).toBe('Google Docs');
    expect(new RegExp(google!.url.pattern).test('https://docs.google.com/document/d/1AbCdEfGhIjK/edit')).toBe(
      true,
    );
    const unknown = await env.api<{ error: string }>('/api/credentials', { provider: 'dropbox', name: 'x' });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'invalid-credential' } });
    const anonymous = await fetch(`${env.server.url}/api/suites`);
    expect(anonymous.status).toBe(401);
  });

  it('shows the link synced through the API and records connector writes in the audit log', async () => {
    const links = await env.api<{ links: { status: string; lastError: string | null }[] }>(
      '/api/links?doc=dept-a/budget',
    );
    expect(links.body.links).toHaveLength(1);
    expect(links.body.links[0]).toMatchObject({ status: 'synced', lastError: null });
    const audit = await env.api<{ entries: { action: string }[] }>('/api/audit?limit=200');
    const actions = new Set(audit.body.entries.map((e) => e.action));
    expect([...actions]).toEqual(
      expect.arrayContaining(['credential.create', 'link.create', 'connector.push', 'connector.pull']),
    );
  });

  it('refuses to link two non-empty documents without an explicit initial', async () => {
    const googleId = await env.newGoogleDoc(['remote text']);
    const client = await env.client('dept-a/both');
    client.doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
    liveText(client.doc, 0).insert(0, 'local text');
    await client.saved();
    expect(await env.link('dept-a/both', googleId)).toMatchObject({
      status: 409,
      body: { error: 'both-not-empty' },
    });
    expect((await env.link('dept-a/both', googleId, 'merge')).status).toBe(201);
    await waitFor(
      () => liveParagraphs(client.doc).sort().join('|') === 'local text|remote text',
      'both texts kept',
    );
    // The merge ends with the union written back to Google (and nothing left in flight for the next test).
    await waitFor(
      async () =>
        googleParagraphs(await env.googleDoc(googleId))
          .sort()
          .join('|') === 'local text|remote text',
      'both texts written back',
      30_000,
    );
  });

  it('makes a .docx footnote a real Google footnote, brings a Google edit of it back to the web and the .docx, and creates a web-typed one', async () => {
    const original = new Uint8Array(readFileSync('test/fixtures/fidelity/docx/footnote.docx'));
    const imported = codecs.docx.read(original).doc;
    const noteText = footnoteTexts(imported)[0]!;
    const client = await env.client('dept-a/footnotes');
    Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(toYjs(imported)));
    await client.saved();
    const googleId = await env.newGoogleDoc(['Replaced by the linked document']);
    expect((await env.link('dept-a/footnotes', googleId, 'local')).status).toBe(201);
    const googleFootnotes = async () =>
      Object.entries(((await env.googleDoc(googleId)) as docs_v1.Schema$Document).footnotes ?? {}).map(
        ([id, f]) => ({
          id,
          text: (f.content ?? [])
            .flatMap((p) => (p.paragraph?.elements ?? []).map((e) => e.textRun?.content ?? ''))
            .join(''),
        }),
      );
    await waitFor(
      async () => (await googleFootnotes()).some((f) => f.text === ` ${noteText}\n`),
      'the .docx footnote as a Google footnote',
      30_000,
    );
    const [footnote] = await googleFootnotes();
    await env.googleEdit(googleId, [
      { insertText: { location: { index: 1, segmentId: footnote!.id }, text: 'Edited in Google: ' } },
    ]);
    await waitFor(
      () => footnoteTexts(fromYjs(client.doc))[0] === `Edited in Google: ${noteText}`,
      'the Google edit of the footnote on the web',
      30_000,
    );
    const docx = writeOverOriginal('docx', fromYjs(client.doc), original).bytes;
    expect(footnoteTexts(codecs.docx.read(docx).doc)).toEqual([`Edited in Google: ${noteText}`]);

    // A footnote typed on the web becomes a Google footnote with its text.
    const paragraph = client.doc.getXmlFragment('default').get(0) as Y.XmlElement;
    const typed = new Y.XmlElement('note');
    typed.setAttribute('kind', 'footnote');
    typed.insert(0, [new Y.XmlText('Typed on the web.')]);
    const writesBefore = await env.batchUpdates();
    const typedAt = Date.now();
    paragraph.insert(paragraph.length, [typed]);
    await waitFor(
      async () => (await googleFootnotes()).some((f) => f.text === ' Typed on the web.\n'),
      'the web-typed footnote in Google',
      30_000,
    );
    console.log(
      `web-typed footnote -> Google footnote with its text: ${Date.now() - typedAt} ms, ${(await env.batchUpdates()) - writesBefore} batchUpdate calls`,
    );
    await waitFor(() => footnoteTexts(fromYjs(client.doc)).length === 2, 'both footnotes on the web');
    client.destroy();
  });

  it('never lets a credential secret reach the API, the logs or the database in plaintext', async () => {
    const listed = JSON.stringify((await env.api('/api/credentials')).body);
    const keyBody = env.key.private_key.split('\n')[1]!;
    expect(listed).toContain(SERVICE_ACCOUNT);
    expect(listed).not.toContain(keyBody);
    expect(env.server.output()).not.toContain(keyBody);
    for (const file of readdirSync(env.dataDir)) {
      expect(readFileSync(join(env.dataDir, file)).toString('latin1').includes(keyBody), file).toBe(false);
    }
  });

  it('stays still: 30 s without human edits make no batchUpdate call', async () => {
    const before = await env.batchUpdates();
    await new Promise((r) => setTimeout(r, 30_000));
    expect(await env.batchUpdates()).toBe(before);
  });

  it('stops syncing when an admin deletes the credential (with force, its links go too)', async () => {
    const inUse = await env.api(`/api/credentials/${env.credentialId}`, undefined, 'DELETE');
    expect(inUse).toMatchObject({ status: 409, body: { error: 'credential-in-use' } });
    const deleted = await env.api<{ deletedLinks: number }>(
      `/api/credentials/${env.credentialId}?force=true`,
      undefined,
      'DELETE',
    );
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedLinks).toBeGreaterThanOrEqual(2);
    const before = await env.batchUpdates();
    const client = await env.client('dept-a/budget');
    liveText(client.doc, 0).insert(0, '<after-delete> ');
    await client.saved();
    await new Promise((r) => setTimeout(r, 4000));
    expect(await env.batchUpdates()).toBe(before);
    expect((await env.api<{ links: unknown[] }>('/api/links?doc=dept-a/budget')).body.links).toEqual([]);
  });
});
