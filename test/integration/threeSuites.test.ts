import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { createServiceAccount } from '../helpers/googleCredentials.ts';
import {
  type GoogleDocJson,
  googleParagraphs,
  liveParagraphs,
  liveText,
  paragraphStart,
} from '../helpers/googleDocs.ts';
import { type GoogleEmulatorProcess, startGoogleEmulatorProcess } from '../helpers/googleEmulatorProcess.ts';
import { marker } from '../helpers/markers.ts';
import { type MicrosoftLinkEnv, startMicrosoftLinkEnv } from '../helpers/microsoftLinkEnv.ts';
import { seededRandom } from '../helpers/random.ts';

const SERVICE_ACCOUNT = 'docbridge-three@dept-a-project.iam.gserviceaccount.com';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let env: MicrosoftLinkEnv;
let google: GoogleEmulatorProcess;
let googleCredential: string;

beforeAll(async () => {
  google = await startGoogleEmulatorProcess();
  env = await startMicrosoftLinkEnv();
  const key = await createServiceAccount(google, SERVICE_ACCOUNT);
  const created = await env.api<{ id: string }>('/api/credentials', {
    provider: 'google',
    name: 'Policy unit (Google)',
    serviceAccountKey: key,
    endpoints: { docs: google.url, drive: google.url, token: google.tokenUrl },
  });
  expect(created.status).toBe(201);
  googleCredential = created.body.id;
});
afterAll(async () => {
  await env?.close();
  await google?.stop();
});

describe('three suites at once: the web, a Google Doc and a Word file on one document', () => {
  it('converges with every marker exactly once under concurrent edits from all three', async () => {
    const { documentId } = await google.control<{ documentId: string }>('/control/documents', {
      title: 'Three suites',
      owner: SERVICE_ACCOUNT,
      requests: [{ insertText: { location: { index: 1 }, text: 'alpha\nbeta\ngamma' } }],
    });
    const googleLink = await env.api('/api/links', {
      doc: 'dept-a/three',
      credential: googleCredential,
      url: `https://docs.google.com/document/d/${documentId}/edit`,
    });
    expect(googleLink.status, JSON.stringify(googleLink.body)).toBe(201);
    const client = await env.client('dept-a/three');
    await waitFor(
      () => liveParagraphs(client.doc).join('|') === 'alpha|beta|gamma',
      'the Google content',
      30_000,
    );
    const file = await env.newWordFile(['']);
    const wordLink = await env.link('dept-a/three', file.webUrl, 'local');
    expect(wordLink.status, JSON.stringify(wordLink.body)).toBe(201);
    const wordText = async () => (await env.wordParagraphs(file.itemId)).join('|');
    const googleText = async () =>
      googleParagraphs(await google.control<GoogleDocJson>(`/control/documents/${documentId}`)).join('|');
    const deadline = Date.now() + 30_000;
    while ((await wordText()) !== 'alpha|beta|gamma' && Date.now() < deadline) await sleep(200);
    expect(await wordText()).toBe('alpha|beta|gamma');

    const random = seededRandom(2027);
    const markers: string[] = [];
    for (let n = 0; n < 30; n++) {
      const m = marker(n);
      markers.push(m);
      const paragraph = Math.floor(random() * 3);
      const who = n % 3;
      if (who === 0) {
        const text = liveText(client.doc, paragraph);
        text.insert(text.length, m);
      } else if (who === 1) {
        const doc = await google.control<GoogleDocJson>(`/control/documents/${documentId}`);
        await google.control(`/control/documents/${documentId}/edit`, {
          requests: [{ insertText: { location: { index: paragraphStart(doc, paragraph) }, text: m } }],
        });
      } else {
        await env.wordSave(file.itemId, [{ prependText: { paragraph, text: m } }]);
      }
      await sleep(Math.floor(random() * 600));
    }
    const converged = async () => {
      const web = liveParagraphs(client.doc).join('|');
      return (
        web === (await wordText()) &&
        web === (await googleText()) &&
        markers.every((m) => web.split(m).length === 2)
      );
    };
    const settle = Date.now() + 120_000;
    while (!(await converged()) && Date.now() < settle) await sleep(500);
    const web = liveParagraphs(client.doc).join('|');
    for (const m of markers) expect(web.split(m).length - 1, `marker ${m} on the web`).toBe(1);
    expect(await wordText()).toBe(web);
    expect(await googleText()).toBe(web);
    expect((await env.stats()).uploads.every((u) => u.ifMatch !== null)).toBe(true);
  });
});
