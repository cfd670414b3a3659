import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/clients.ts';
import { liveParagraphs } from '../helpers/googleDocs.ts';
import { startHttpsProxy } from '../helpers/httpsProxy.ts';
import { type MicrosoftLinkEnv, startMicrosoftLinkEnv } from '../helpers/microsoftLinkEnv.ts';

const envs: MicrosoftLinkEnv[] = [];
afterAll(async () => {
  for (const env of envs) await env.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const calls = async (env: MicrosoftLinkEnv, kind: string) => (await env.stats()).calls[kind] ?? 0;

/** Resolves once the emulator served more `kind` calls than `before` (fails after 20 s). */
async function more(env: MicrosoftLinkEnv, kind: string, before: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await calls(env, kind)) <= before && Date.now() < deadline) await sleep(100);
  expect(await calls(env, kind), `${kind} after the change`).toBeGreaterThan(before);
}

/** Links a Word file nobody has open and lets the link go idle; returns how many item reads it made idle. */
async function idleLink(env: MicrosoftLinkEnv, name: string) {
  const file = await env.newWordFile(['quiet']);
  expect((await env.link(`dept-a/${name}`, file.webUrl)).status).toBe(201);
  await sleep(3500);
  const before = await calls(env, 'item.get');
  await sleep(3000);
  return { file, idleReads: (await calls(env, 'item.get')) - before };
}

/**
 * A server whose public URL is HTTPS (a local-CA proxy in front of it) and an emulator that posts change
 * notifications 300 ms after a change. The delta feed is read only every 10 minutes: only a notification can
 * wake an idle file quickly.
 */
async function pushEnv(serverEnv: Record<string, string> = {}) {
  const proxy = await startHttpsProxy();
  const env = await startMicrosoftLinkEnv(
    {
      DOCBRIDGE_ACTIVE_WINDOW_MS: '2000',
      DOCBRIDGE_CHANGE_FEED_INTERVAL_MS: '600000',
      DOCBRIDGE_PUBLIC_URL: proxy.url,
      ...serverEnv,
    },
    ['--notification-lag-ms', '300', '--webhook-ca', proxy.caPath],
  );
  envs.push(env);
  proxy.target(env.server.port);
  return { env, proxy };
}

/** The emulator's live subscriptions. */
async function subscriptions(env: MicrosoftLinkEnv) {
  const listed = await env.emulator.control<{
    subscriptions: { id: string; notificationUrl: string; expirationDateTime: string }[];
  }>('/control/subscriptions');
  return listed.subscriptions;
}

describe('idle Word files wake up through the delta feed and change notifications, not polling', () => {
  it('reads the drive delta, pulls what it reports, and enumerates again after 410 resyncRequired', async () => {
    const env = await startMicrosoftLinkEnv({
      DOCBRIDGE_ACTIVE_WINDOW_MS: '2000',
      DOCBRIDGE_CHANGE_FEED_INTERVAL_MS: '1000',
    });
    envs.push(env);
    const { file, idleReads } = await idleLink(env, 'ms-idle-delta');
    expect(idleReads, 'item reads of an idle file').toBe(0);
    let downloads = await calls(env, 'item.download');
    await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'woken ' } }]);
    await more(env, 'item.download', downloads);

    await env.emulator.control(`/control/drives/${env.driveId}/expire-delta-tokens`, {});
    await sleep(3500);
    downloads = await calls(env, 'item.download');
    await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'again ' } }]);
    await more(env, 'item.download', downloads);
    const client = await env.client('dept-a/ms-idle-delta');
    await waitFor(
      () => liveParagraphs(client.doc)[0] === 'again woken quiet',
      'both Word saves in the document',
      20_000,
    );
  });

  it('subscribes to /hooks/microsoft when the public URL is HTTPS, acts on notifications and lifecycle events, and refuses forgeries', async () => {
    const { env, proxy } = await pushEnv();
    try {
      const echo = await fetch(
        `${env.server.url}/hooks/microsoft?validationToken=${encodeURIComponent('Validation: abc 123')}`,
        { method: 'POST' },
      );
      expect(echo.status).toBe(200);
      expect(echo.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await echo.text()).toBe('Validation: abc 123');

      const { file, idleReads } = await idleLink(env, 'ms-idle-push');
      expect(idleReads).toBe(0);
      const deadline = Date.now() + 20_000;
      while ((await subscriptions(env)).length === 0 && Date.now() < deadline) await sleep(200);
      const [subscription] = await subscriptions(env);
      expect(subscription?.notificationUrl).toBe(`${proxy.url}/hooks/microsoft`);

      let downloads = await calls(env, 'item.download');
      await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'pushed ' } }]);
      await more(env, 'item.download', downloads);

      // A dropped notification is never resent: the lifecycle "missed" event makes the server read delta.
      await sleep(3500);
      await env.emulator.control('/control/notifications/drop', { count: 1 });
      downloads = await calls(env, 'item.download');
      await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'missed ' } }]);
      await more(env, 'item.download', downloads);

      // reauthorizationRequired (Graph holds notifications meanwhile): the subscription is renewed at once by
      // PATCH, which reauthorizes it; the same subscription then notifies again.
      const { expirationDateTime } = (await subscriptions(env))[0]!;
      await env.emulator.control('/control/subscriptions/lifecycle', { event: 'reauthorizationRequired' });
      await expect
        .poll(async () => (await subscriptions(env))[0]?.expirationDateTime, { timeout: 20_000 })
        .not.toBe(expirationDateTime);
      expect((await subscriptions(env)).map((s) => s.id)).toEqual([subscription!.id]);
      expect(await calls(env, 'subscriptions.update')).toBeGreaterThanOrEqual(1);
      expect(await calls(env, 'subscriptions.create')).toBe(1);
      downloads = await calls(env, 'item.download');
      await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'again ' } }]);
      await more(env, 'item.download', downloads);

      // subscriptionRemoved: the renewal's PATCH answers 404, so a new subscription is created.
      await env.emulator.control('/control/subscriptions/lifecycle', { event: 'subscriptionRemoved' });
      await expect
        .poll(async () => (await subscriptions(env)).map((s) => s.id).join(), { timeout: 20_000 })
        .toMatch(/^[^,]+$/);
      expect((await subscriptions(env))[0]!.id).not.toBe(subscription!.id);
      expect(await calls(env, 'subscriptions.create')).toBe(2);
      await sleep(3500);
      downloads = await calls(env, 'item.download');
      await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'removed ' } }]);
      await more(env, 'item.download', downloads);

      const client = await env.client('dept-a/ms-idle-push');
      await waitFor(
        () => liveParagraphs(client.doc)[0] === 'removed again missed pushed quiet',
        'the Word saves',
        20_000,
      );

      const forged = await fetch(`${env.server.url}/hooks/microsoft`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          value: [{ subscriptionId: subscription!.id, clientState: 'guess.wrong', changeType: 'updated' }],
        }),
      });
      expect(forged.status).toBe(403);
    } finally {
      await proxy.close();
    }
  });

  it('renews its subscription by PATCH before it expires, and creates it again only when Graph no longer knows it', async () => {
    // Subscriptions are asked for 10 s, so they are renewed every 5 s.
    const { env, proxy } = await pushEnv({ DOCBRIDGE_WATCH_LIFETIME_MS: '10000' });
    try {
      const { file } = await idleLink(env, 'ms-renewed');
      await expect.poll(async () => (await subscriptions(env)).length, { timeout: 20_000 }).toBe(1);
      const [first] = await subscriptions(env);
      const firstExpiry = Date.parse(first!.expirationDateTime);
      expect(firstExpiry - Date.now(), 'the lifetime asked for').toBeLessThanOrEqual(10_000);

      // Past the first lifetime, the same subscription lives on, extended by PATCH.
      await expect
        .poll(async () => (await subscriptions(env))[0]?.expirationDateTime ?? '', { timeout: 30_000 })
        .not.toBe(first!.expirationDateTime);
      await sleep(Math.max(0, firstExpiry - Date.now()) + 500);
      const renewed = await subscriptions(env);
      expect(renewed.map((s) => s.id)).toEqual([first!.id]);
      expect(Date.parse(renewed[0]!.expirationDateTime)).toBeGreaterThan(firstExpiry);
      expect(await calls(env, 'subscriptions.update')).toBeGreaterThanOrEqual(1);
      expect(await calls(env, 'subscriptions.create')).toBe(1);
      let downloads = await calls(env, 'item.download');
      await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'renewed ' } }]);
      await more(env, 'item.download', downloads);

      // The subscription expires behind the server's back (Graph forgets it): the next renewal's PATCH
      // answers 404, and only then is a new subscription created, which notifies the next save.
      await env.emulator.control('/control/subscriptions/expire', {});
      await expect.poll(async () => (await subscriptions(env)).length, { timeout: 30_000 }).toBe(1);
      const [recreated] = await subscriptions(env);
      expect(recreated!.id).not.toBe(first!.id);
      expect(await calls(env, 'subscriptions.create')).toBe(2);
      await sleep(3500);
      downloads = await calls(env, 'item.download');
      await env.wordSave(file.itemId, [{ prependText: { paragraph: 0, text: 'recreated ' } }]);
      await more(env, 'item.download', downloads);
      const client = await env.client('dept-a/ms-renewed');
      await waitFor(
        () => liveParagraphs(client.doc)[0] === 'recreated renewed quiet',
        'both Word saves',
        20_000,
      );
    } finally {
      await proxy.close();
    }
  });
});
