import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { liveParagraphs } from '../helpers/googleDocs.ts';
import { type MicrosoftLinkEnv, startMicrosoftLinkEnv } from '../helpers/microsoftLinkEnv.ts';
import { wordRoundTrips } from '../helpers/roundTrips.ts';

let env: MicrosoftLinkEnv;

beforeAll(async () => {
  env = await startMicrosoftLinkEnv({}, [], { certificate: true });
});
afterAll(() => env?.close());

describe('Word file sync with a certificate credential (client assertion), server + emulator as processes', () => {
  it('verifies the credential, never shows its key, and carries edits both ways with conditional uploads', async () => {
    expect((await env.api(`/api/credentials/${env.credentialId}/verify`, {})).body).toEqual({ ok: true });
    const listed = await env.api('/api/credentials');
    expect(JSON.stringify(listed.body)).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);

    const file = await env.newWordFile(['Certificate policy', 'Draft']);
    const created = await env.link('dept-a/certificate', await env.sharingLink(file.itemId));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const client = await env.client('dept-a/certificate');
    await waitFor(
      () => liveParagraphs(client.doc).join('|') === 'Certificate policy|Draft',
      'the Word content in the client',
      30_000,
    );

    const trips = await wordRoundTrips(env, file.itemId, client, 5);
    expect(trips.webToWordMs).toHaveLength(5);
    expect(trips.wordToWebMs).toHaveLength(5);
    await waitFor(
      async () => (await env.wordParagraphs(file.itemId)).join('|') === liveParagraphs(client.doc).join('|'),
      'the Word file and the web client agree',
      30_000,
    );
    expect(liveParagraphs(client.doc)).toEqual([
      'Certificate policy [d0] [d1] [d2] [d3] [d4]',
      'Draft <w0> <w1> <w2> <w3> <w4>',
    ]);
    const { uploads, calls } = await env.stats();
    expect(uploads.length).toBeGreaterThan(0);
    expect(
      uploads.every((u) => u.ifMatch !== null),
      'every upload conditional',
    ).toBe(true);
    // The emulated app has no secret: each of these tokens was had with a signed client assertion.
    expect(calls.token ?? 0).toBeGreaterThan(0);
  });
});
