import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  type GraphError,
  HTTPMessageHandler,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorControl } from '../../helpers/emulatorControl.ts';
import { docxOf, trustCa } from '../../helpers/graphEmulator.ts';
import { createTestCa, selfSignedPem } from '../../helpers/testCa.ts';
import { type GraphEmulator, startGraphEmulator } from './server.ts';
import { UPLOAD_CHUNK_UNIT } from './storage.ts';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'emulated~client~secret';

let emulator: GraphEmulator;
let control: ReturnType<typeof emulatorControl>;
let client: Client;
let token: string;
let driveId: string;
const receiverCa = createTestCa();

function graphClient(credential: TokenCredential): Client {
  const auth = new AuthenticationHandler(
    new TokenCredentialAuthenticationProvider(credential, { scopes: [`${emulator.graphUrl}/.default`] }),
  );
  auth.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: `${emulator.graphUrl}/`,
    customHosts: new Set(['127.0.0.1']),
  });
}

const secretCredential = (secret = SECRET, tenant = TENANT) =>
  new ClientSecretCredential(tenant, CLIENT, secret, {
    authorityHost: emulator.loginUrl,
    disableInstanceDiscovery: true,
  });

async function failure(promise: Promise<unknown>): Promise<GraphError> {
  try {
    await promise;
  } catch (error) {
    return error as GraphError;
  }
  throw new Error('expected the call to fail');
}

async function newFile(paragraphs = ['One', 'Two']) {
  return control<{ itemId: string; eTag: string; cTag: string; webUrl: string; browserUrl: string }>(
    `/control/drives/${driveId}/items`,
    {
      name: `f-${Math.random().toString(36).slice(2)}.docx`,
      contentBase64: Buffer.from(docxOf(paragraphs)).toString('base64'),
    },
  );
}

/** An HTTPS receiver for notifications that records each request and echoes validation tokens (or not). */
async function startReceiver() {
  const received: { path: string; body: string; contentType?: string }[] = [];
  let echo = true;
  const receiver = createServer({ key: receiverCa.key, cert: receiverCa.cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const validation = url.searchParams.get('validationToken');
      received.push({ path: url.pathname, body, contentType: req.headers['content-type'] });
      if (validation !== null) {
        res.writeHead(200, { 'Content-Type': 'text/plain' }).end(echo ? validation : 'nope');
        return;
      }
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  return {
    received,
    base: `https://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
    setEcho: (value: boolean) => {
      echo = value;
    },
    close: async () => {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    },
  };
}

beforeAll(async () => {
  emulator = await startGraphEmulator({ notificationLagMs: 200, webhookCa: receiverCa.caPem });
  trustCa(emulator.caPem);
  control = emulatorControl(emulator.graphUrl);
  await control('/control/apps', { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET });
  ({ driveId } = await control<{ driveId: string }>('/control/drives', { tenantId: TENANT }));
  client = graphClient(secretCredential());
  token = (await secretCredential().getToken(`${emulator.graphUrl}/.default`)).token;
});
afterAll(async () => {
  await emulator.close();
  receiverCa.dispose();
});

describe('Graph emulator over HTTPS, driven by @azure/identity and the Graph client', () => {
  it('serves the OpenID configuration and client-credentials tokens for a secret or a certificate, and refuses others', async () => {
    await expect(secretCredential('wrong').getToken(`${emulator.graphUrl}/.default`)).rejects.toThrow(
      /7000215/,
    );
    await expect(
      secretCredential(SECRET, 'unknown-tenant').getToken(`${emulator.graphUrl}/.default`),
    ).rejects.toThrow();
    const { key, cert: certificatePem } = selfSignedPem('/CN=docbridge');
    await control('/control/apps', { tenantId: TENANT, clientId: 'cert-app', certificatePem });
    const pem = `${key}\n${certificatePem}`;
    const byCertificate = new ClientCertificateCredential(
      TENANT,
      'cert-app',
      { certificate: pem },
      { authorityHost: emulator.loginUrl, disableInstanceDiscovery: true },
    );
    expect((await byCertificate.getToken(`${emulator.graphUrl}/.default`)).token).toBeTruthy();
    const stats = await control<{ calls: Record<string, number> }>('/control/stats');
    expect(stats.calls['openid-configuration']).toBeGreaterThan(0);
    const unauthenticated = await fetch(`${emulator.graphUrl}/v1.0/drives/${driveId}/root/delta`);
    expect(unauthenticated.status).toBe(401);
    expect(await unauthenticated.json()).toMatchObject({
      error: { code: 'InvalidAuthenticationToken', innerError: { 'request-id': expect.any(String) } },
    });
  });

  it('answers /content with a 302 to a pre-authenticated URL on another origin that refuses the Graph token', async () => {
    const file = await newFile();
    const item = await client.api(`/drives/${driveId}/items/${file.itemId}`).get();
    expect(item).toMatchObject({
      id: file.itemId,
      eTag: file.eTag,
      cTag: file.cTag,
      parentReference: { driveId },
    });
    const redirect = await fetch(`${emulator.graphUrl}/v1.0/drives/${driveId}/items/${file.itemId}/content`, {
      headers: { Authorization: `Bearer ${token}` },
      redirect: 'manual',
    });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    expect(new URL(location).origin).not.toBe(new URL(emulator.graphUrl).origin);
    expect((await fetch(location, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
    const content = new Uint8Array(await (await fetch(location)).arrayBuffer());
    expect(Buffer.from(content).equals(Buffer.from(docxOf(['One', 'Two'])))).toBe(true);
  });

  it('takes a simple upload only with a matching If-Match (412 otherwise), never while Word holds the file (423), and at most 4 MB', async () => {
    const file = await newFile();
    const put = (ifMatch: string, body: Uint8Array) =>
      client
        .api(`/drives/${driveId}/items/${file.itemId}/content`)
        .header('If-Match', ifMatch)
        .header('Content-Type', 'application/octet-stream')
        .put(Buffer.from(body));
    const renamed = await control<{ eTag: string; cTag: string }>(
      `/control/drives/${driveId}/items/${file.itemId}/rename`,
      { name: 'renamed.docx' },
    );
    expect(renamed.eTag).not.toBe(file.eTag);
    expect(renamed.cTag).toBe(file.cTag);
    const stale = await failure(put(file.eTag, docxOf(['Mine'])));
    expect(stale.statusCode).toBe(412);
    expect(stale.code).toBe('preconditionFailed');
    await control(`/control/drives/${driveId}/items/${file.itemId}/open`, { user: 'ada@contoso.com' });
    const locked = await failure(put(renamed.eTag, docxOf(['Mine'])));
    expect([locked.statusCode, locked.code]).toEqual([423, 'resourceLocked']);
    await control(`/control/drives/${driveId}/items/${file.itemId}/close`, {});
    const tooBig = await failure(put(renamed.eTag, new Uint8Array(4 * 1024 * 1024 + 1)));
    expect(tooBig.statusCode).toBe(413);
    const updated = await put(renamed.eTag, docxOf(['Mine']));
    expect(updated.eTag).not.toBe(renamed.eTag);
    expect(updated.cTag).not.toBe(renamed.cTag);
    const saved = await control<{ eTag: string; cTag: string }>(
      `/control/drives/${driveId}/items/${file.itemId}/word-save`,
      {
        edits: [{ appendText: { paragraph: 0, text: ' and Word' } }],
      },
    );
    expect(saved.eTag).not.toBe(updated.eTag);
    expect(saved.cTag).not.toBe(updated.cTag);
  });

  it('runs upload sessions in 320 KiB multiples, resumable from nextExpectedRanges, conditional on If-Match at completion', async () => {
    const file = await newFile();
    const total = UPLOAD_CHUNK_UNIT * 2 + 1000;
    const data = new Uint8Array(total).map((_, i) => i % 251);
    const session = await client
      .api(`/drives/${driveId}/items/${file.itemId}/createUploadSession`)
      .header('If-Match', file.eTag)
      .post({ item: { '@microsoft.graph.conflictBehavior': 'replace' } });
    expect(session.nextExpectedRanges).toEqual(['0-']);
    const chunk = (start: number, end: number, headers: Record<string, string> = {}) =>
      fetch(session.uploadUrl, {
        method: 'PUT',
        headers: { 'Content-Range': `bytes ${start}-${end - 1}/${total}`, ...headers },
        body: data.slice(start, end),
      });
    expect((await chunk(0, 1000)).status).toBe(400);
    expect((await chunk(0, UPLOAD_CHUNK_UNIT, { Authorization: `Bearer ${token}` })).status).toBe(401);
    const first = await chunk(0, UPLOAD_CHUNK_UNIT);
    expect(first.status).toBe(202);
    expect((await first.json()).nextExpectedRanges).toEqual([`${UPLOAD_CHUNK_UNIT}-`]);
    await control('/control/faults', { reset: true, count: 1, calls: ['uploadSession.put'] });
    await expect(chunk(UPLOAD_CHUNK_UNIT, UPLOAD_CHUNK_UNIT * 2)).rejects.toThrow();
    const status = await (await fetch(session.uploadUrl)).json();
    expect(status.nextExpectedRanges).toEqual([`${UPLOAD_CHUNK_UNIT * 2}-`]);
    expect((await chunk(0, UPLOAD_CHUNK_UNIT)).status).toBe(416);
    const done = await chunk(UPLOAD_CHUNK_UNIT * 2, total);
    expect(done.status).toBe(200);
    expect((await done.json()).size).toBe(total);

    const second = await client
      .api(`/drives/${driveId}/items/${(await newFile()).itemId}/createUploadSession`)
      .post({});
    const otherFile = second.uploadUrl as string;
    await fetch(otherFile, { method: 'DELETE' });
    expect((await fetch(otherFile)).status).toBe(404);
    const stale = await failure(
      client
        .api(`/drives/${driveId}/items/${file.itemId}/createUploadSession`)
        .header('If-Match', file.eTag)
        .post({}),
    );
    expect(stale.statusCode).toBe(412);
  });

  it('resolves sharing links and browser URLs through /shares/{u!base64url}', async () => {
    const file = await newFile();
    const { url } = await control<{ url: string }>(
      `/control/drives/${driveId}/items/${file.itemId}/sharing-link`,
      {},
    );
    const encode = (u: string) => `u!${Buffer.from(u).toString('base64url')}`;
    for (const address of [url, file.browserUrl, file.webUrl]) {
      expect((await client.api(`/shares/${encode(address)}/driveItem`).get()).id).toBe(file.itemId);
    }
    expect(
      (
        await failure(
          client
            .api(`/shares/${encode('https://contoso.sharepoint.com/:w:/s/Policy/Enope')}/driveItem`)
            .get(),
        )
      ).statusCode,
    ).toBe(404);
  });

  it('pages delta with nextLink, ends with a deltaLink, reports later changes, and answers 410 resyncRequired to an expired token', async () => {
    await control('/control/settings', { deltaPageSize: 2 });
    const { driveId: fresh } = await control<{ driveId: string }>('/control/drives', {
      tenantId: TENANT,
      siteName: 'Delta',
    });
    for (const name of ['a', 'b', 'c']) {
      await control(`/control/drives/${fresh}/items`, {
        name: `${name}.docx`,
        contentBase64: Buffer.from(docxOf([name])).toString('base64'),
      });
    }
    const first = await client.api(`/drives/${fresh}/root/delta`).get();
    expect(first.value).toHaveLength(2);
    const second = await client.api(first['@odata.nextLink']).get();
    expect(second.value).toHaveLength(1);
    const deltaLink = second['@odata.deltaLink'] as string;
    expect((await client.api(deltaLink).get()).value).toEqual([]);
    const latest = await client.api(`/drives/${fresh}/root/delta`).query({ token: 'latest' }).get();
    expect(latest.value).toEqual([]);
    const changed = second.value[0].id as string;
    await control(`/control/drives/${fresh}/items/${changed}/word-save`, {
      edits: [{ appendText: { paragraph: 0, text: '!' } }],
    });
    const later = await client.api(deltaLink).get();
    expect(later.value.map((i: { id: string }) => i.id)).toEqual([changed]);
    await control(`/control/drives/${fresh}/expire-delta-tokens`, {});
    const expired = await failure(client.api(later['@odata.deltaLink']).get());
    expect([expired.statusCode, expired.code]).toEqual([410, 'resyncRequired']);
    await control('/control/settings', { deltaPageSize: 200 });
  });

  it('creates subscriptions only after the validation handshake, notifies without item ids, renews, and sends lifecycle notifications', async () => {
    const { received, base, setEcho, close } = await startReceiver();
    const expirationDateTime = new Date(Date.now() + 3600_000).toISOString();
    const body = {
      changeType: 'updated',
      notificationUrl: `${base}/hooks`,
      lifecycleNotificationUrl: `${base}/life`,
      resource: `/drives/${driveId}/root`,
      expirationDateTime,
      clientState: 'secret-state',
    };
    try {
      expect(
        (
          await failure(
            client.api('/subscriptions').post({ ...body, notificationUrl: 'http://127.0.0.1:1/hooks' }),
          )
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await failure(
            client
              .api('/subscriptions')
              .post({ ...body, expirationDateTime: new Date(Date.now() + 42_301 * 60_000).toISOString() }),
          )
        ).statusCode,
      ).toBe(400);
      setEcho(false);
      expect((await failure(client.api('/subscriptions').post(body))).code).toBe('ValidationError');
      setEcho(true);
      const subscription = await client.api('/subscriptions').post(body);
      expect(subscription).toMatchObject({ resource: body.resource, clientState: 'secret-state' });
      const file = await newFile();
      await control(`/control/drives/${driveId}/items/${file.itemId}/word-save`, {
        edits: [{ appendText: { paragraph: 0, text: '!' } }],
      });
      await expect
        .poll(() => received.filter((r) => r.path === '/hooks' && r.body).length, { timeout: 10_000 })
        .toBe(1);
      const notification = JSON.parse(received.find((r) => r.path === '/hooks' && r.body)!.body);
      expect(notification.value[0]).toMatchObject({
        subscriptionId: subscription.id,
        clientState: 'secret-state',
        tenantId: TENANT,
        changeType: 'updated',
      });
      expect(notification.value[0].resourceData).toBeUndefined();
      const renewed = await client
        .api(`/subscriptions/${subscription.id}`)
        .patch({ expirationDateTime: new Date(Date.now() + 7200_000).toISOString() });
      expect(Date.parse(renewed.expirationDateTime)).toBeGreaterThan(Date.parse(expirationDateTime));
      await control('/control/notifications/drop', { count: 1 });
      await control(`/control/drives/${driveId}/items/${file.itemId}/rename`, { name: 'dropped.docx' });
      await expect
        .poll(() => received.some((r) => r.path === '/life' && r.body.includes('"missed"')), {
          timeout: 10_000,
        })
        .toBe(true);
      await control('/control/subscriptions/lifecycle', { event: 'reauthorizationRequired' });
      await expect
        .poll(() => received.some((r) => r.body.includes('reauthorizationRequired')), { timeout: 10_000 })
        .toBe(true);
      await client.api(`/subscriptions/${subscription.id}`).delete();
      expect((await failure(client.api(`/subscriptions/${subscription.id}`).get())).statusCode).toBe(404);
    } finally {
      await close();
    }
  });

  it('renews by PATCH within 42,300 minutes, holds notifications while reauthorization is pending, and forgets expired subscriptions', async () => {
    const { received, base, close } = await startReceiver();
    const subscribe = async (path: string) =>
      (await client.api('/subscriptions').post({
        changeType: 'updated',
        notificationUrl: `${base}${path}`,
        resource: `/drives/${driveId}/root`,
        expirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
        clientState: 'state',
      })) as { id: string; expirationDateTime: string };
    const notified = (path: string) => received.filter((r) => r.path === path && r.body).length;
    const file = await newFile();
    const save = () =>
      control(`/control/drives/${driveId}/items/${file.itemId}/word-save`, {
        edits: [{ appendText: { paragraph: 0, text: '.' } }],
      });
    try {
      const renewed = await subscribe('/renewed');
      const patch = (changes: Record<string, unknown>, id = renewed.id) =>
        client.api(`/subscriptions/${id}`).patch(changes);
      const tooLate = await failure(
        patch({ expirationDateTime: new Date(Date.now() + 42_301 * 60_000).toISOString() }),
      );
      expect([tooLate.statusCode, tooLate.code]).toEqual([400, 'ExtensionError']);
      expect(tooLate.message).toBe('Subscription expiration can only be 42300 minutes in the future.');
      const past = await failure(patch({ expirationDateTime: new Date(Date.now() - 1000).toISOString() }));
      expect(past.statusCode).toBe(400);
      expect((await failure(patch({}))).statusCode).toBe(400);
      expect((await failure(patch({ notificationUrl: 'http://127.0.0.1:1/x' }))).code).toBe(
        'ValidationError',
      );
      expect((await failure(patch({}, 'no-such-subscription'))).statusCode).toBe(404);

      // reauthorizationRequired holds notifications until the subscription is renewed.
      await control('/control/subscriptions/lifecycle', { event: 'reauthorizationRequired' });
      await subscribe('/witness-1');
      await save();
      await expect.poll(() => notified('/witness-1'), { timeout: 10_000 }).toBe(1);
      expect(notified('/renewed'), 'notifications while reauthorization is pending').toBe(0);
      const longest = new Date(Date.now() + 42_299 * 60_000).toISOString();
      const extended = await patch({ expirationDateTime: longest });
      expect(extended).toMatchObject({ id: renewed.id, expirationDateTime: longest });
      await save();
      await expect.poll(() => notified('/renewed'), { timeout: 10_000 }).toBe(1);

      // Past their expiry, subscriptions notify nothing and Graph no longer knows them.
      expect(await control<{ expired: number }>('/control/subscriptions/expire', {})).toEqual({ expired: 2 });
      expect((await failure(client.api(`/subscriptions/${renewed.id}`).get())).statusCode).toBe(404);
      const gone = await failure(
        patch({ expirationDateTime: new Date(Date.now() + 3600_000).toISOString() }),
      );
      expect([gone.statusCode, gone.code]).toEqual([404, 'ResourceNotFound']);
      await subscribe('/witness-2');
      await save();
      await expect.poll(() => notified('/witness-2'), { timeout: 10_000 }).toBe(1);
      expect([notified('/renewed'), notified('/witness-1')], 'notifications after expiry').toEqual([1, 2]);
    } finally {
      await close();
    }
  });

  it('injects 429 with Retry-After and 503, enforces Sites.Selected grants, and expires tokens', async () => {
    const file = await newFile();
    await control('/control/faults', { status: 429, retryAfterSeconds: 7, count: 1, calls: ['item.get'] });
    const throttled = await failure(client.api(`/drives/${driveId}/items/${file.itemId}`).get());
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers?.get('retry-after')).toBe('7');
    await control('/control/faults', { status: 503, count: 1, calls: ['item.get'] });
    expect((await failure(client.api(`/drives/${driveId}/items/${file.itemId}`).get())).statusCode).toBe(503);
    await control('/control/apps', {
      tenantId: TENANT,
      clientId: 'selected',
      clientSecret: 's',
      roles: ['Sites.Selected'],
    });
    const selected = graphClient(
      new ClientSecretCredential(TENANT, 'selected', 's', {
        authorityHost: emulator.loginUrl,
        disableInstanceDiscovery: true,
      }),
    );
    expect((await failure(selected.api(`/drives/${driveId}/items/${file.itemId}`).get())).statusCode).toBe(
      403,
    );
    await control('/control/expire-tokens', {});
    const expired = await fetch(`${emulator.graphUrl}/v1.0/drives/${driveId}/items/${file.itemId}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(expired.status).toBe(401);
  });
});
