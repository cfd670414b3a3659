import { describe, expect, it } from 'vitest';
import { microsoftWebhook } from '../../../connectors/microsoft/webhook.ts';
import type { WebhookChannels } from '../../../connectors/sync/suite.ts';

/** Channels that accept one (id, token) pair and record what they were asked. */
function channels(id: string, token: string) {
  const calls: { channelId: string; token: string; poll: boolean; renew?: boolean }[] = [];
  const registry: WebhookChannels = {
    notified(channelId, given, options) {
      calls.push({ channelId, token: given, ...options });
      return channelId === id && given === token;
    },
  };
  return { registry, calls };
}

const post = (body: unknown, query = '') =>
  new Request(`https://docbridge.example/hooks/microsoft${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('POST /hooks/microsoft', () => {
  it('echoes the validation token as text/plain without interpreting it', async () => {
    const { registry, calls } = channels('c', 't');
    const token = 'Validation: Testing client application reachability <script>';
    const answer = await microsoftWebhook.handler(
      post('', `?validationToken=${encodeURIComponent(token)}`),
      registry,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await answer.text()).toBe(token);
    expect(calls).toEqual([]);
  });

  it('accepts a notification whose clientState names a channel and its secret, and asks for a delta read', async () => {
    const { registry, calls } = channels('chan', 'secret');
    const answer = await microsoftWebhook.handler(
      post({
        value: [
          {
            subscriptionId: 's1',
            clientState: 'chan.secret',
            changeType: 'updated',
            resource: 'drives/d/root',
          },
        ],
      }),
      registry,
    );
    expect(answer.status).toBe(202);
    expect(calls).toEqual([{ channelId: 'chan', token: 'secret', poll: true, renew: false }]);
  });

  it('reads lifecycle events: missed polls, reauthorizationRequired and subscriptionRemoved also renew', async () => {
    const { registry, calls } = channels('chan', 'secret');
    for (const lifecycleEvent of ['missed', 'reauthorizationRequired', 'subscriptionRemoved']) {
      await microsoftWebhook.handler(
        post({ value: [{ subscriptionId: 's1', clientState: 'chan.secret', lifecycleEvent }] }),
        registry,
      );
    }
    expect(calls.map((c) => c.renew)).toEqual([false, true, true]);
    expect(calls.every((c) => c.poll)).toBe(true);
  });

  it('refuses unknown channels, wrong secrets, missing clientState and malformed bodies', async () => {
    const { registry } = channels('chan', 'secret');
    expect(
      (await microsoftWebhook.handler(post({ value: [{ clientState: 'chan.wrong' }] }), registry)).status,
    ).toBe(403);
    expect(
      (await microsoftWebhook.handler(post({ value: [{ subscriptionId: 's' }] }), registry)).status,
    ).toBe(403);
    expect((await microsoftWebhook.handler(post({}), registry)).status).toBe(403);
    expect((await microsoftWebhook.handler(post('{not json'), registry)).status).toBe(400);
    expect((await microsoftWebhook.handler(post('x'.repeat(300 * 1024)), registry)).status).toBe(413);
  });
});
