import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { liveParagraphs } from '../helpers/googleDocs.ts';
import { type GoogleLinkEnv, startGoogleLinkEnv } from '../helpers/googleLinkEnv.ts';
import { startHttpsProxy } from '../helpers/httpsProxy.ts';

const envs: GoogleLinkEnv[] = [];
afterAll(async () => {
  for (const env of envs) await env.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once the emulator has served more documents.get calls than `before` (or fails after 15 s). */
async function readAgain(env: GoogleLinkEnv, before: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  while ((await gets(env)) === before && Date.now() < deadline) await sleep(100);
  expect(await gets(env), 'a documents.get after the change was reported').toBeGreaterThan(before);
}

const gets = async (env: GoogleLinkEnv) =>
  (await env.emulator.control<{ calls: Record<string, number> }>('/control/stats')).calls['documents.get'] ??
  0;

/** Links a document nobody has open, lets it go idle, and returns how it behaves while idle. */
async function idleLink(env: GoogleLinkEnv, name: string) {
  const googleId = await env.newGoogleDoc(['quiet']);
  expect((await env.link(`dept-a/${name}`, googleId)).status).toBe(201);
  await sleep(3500);
  const before = await gets(env);
  await sleep(3000);
  return { googleId, idleReads: (await gets(env)) - before };
}

describe('idle documents wake up through the Drive change feed, not polling', () => {
  it('stops polling an idle document, and pulls it when changes.list reports it', async () => {
    const env = await startGoogleLinkEnv({
      DOCBRIDGE_ACTIVE_WINDOW_MS: '2000',
      DOCBRIDGE_CHANGE_FEED_INTERVAL_MS: '1000',
    });
    envs.push(env);
    const { googleId, idleReads } = await idleLink(env, 'idle-poll');
    expect(idleReads, 'documents.get calls on an idle document').toBe(0);
    const before = await gets(env);
    await env.googleInsert(googleId, 0, 'woken ');
    await readAgain(env, before);
    const client = await env.client('dept-a/idle-poll');
    await waitFor(
      () => liveParagraphs(client.doc)[0] === 'woken quiet',
      'the Google edit in the stored document',
    );
  });

  it('opens a changes.watch channel to /hooks/google when a public HTTPS URL is set, and acts on its notifications', async () => {
    const proxy = await startHttpsProxy();
    const env = await startGoogleLinkEnv(
      // Polling of the feed is slow here, so only a notification can wake the document quickly.
      {
        DOCBRIDGE_ACTIVE_WINDOW_MS: '2000',
        DOCBRIDGE_CHANGE_FEED_INTERVAL_MS: '600000',
        DOCBRIDGE_PUBLIC_URL: proxy.url,
      },
      ['--notify-batch-ms', '500', '--webhook-ca', proxy.caPath],
    );
    envs.push(env);
    proxy.target(env.server.port);
    const { googleId, idleReads } = await idleLink(env, 'idle-push');
    expect(idleReads).toBe(0);
    const watches = (await env.emulator.control<{ calls: Record<string, number> }>('/control/stats')).calls[
      'changes.watch'
    ];
    expect(watches, 'changes.watch channels opened').toBeGreaterThanOrEqual(1);
    const before = await gets(env);
    await env.googleInsert(googleId, 0, 'pushed ');
    // Nothing polls this idle document and the feed is read only every 10 minutes: only the notification
    // (posted through the HTTPS front to /hooks/google) can make the server read it now.
    await readAgain(env, before);
    const client = await env.client('dept-a/idle-push');
    await waitFor(() => liveParagraphs(client.doc)[0] === 'pushed quiet', 'the Google edit');
    const forged = await fetch(`${env.server.url}/hooks/google`, {
      method: 'POST',
      headers: {
        'X-Goog-Channel-ID': 'not-ours',
        'X-Goog-Channel-Token': 'guess',
        'X-Goog-Resource-State': 'change',
      },
    });
    expect(forged.status).toBe(403);
    await proxy.close();
  });
});
