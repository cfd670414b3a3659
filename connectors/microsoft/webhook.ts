import type { WebhookChannels } from '../sync/suite.ts';

const MAX_BODY = 256 * 1024;

interface Notification {
  subscriptionId?: unknown;
  clientState?: unknown;
  lifecycleEvent?: unknown;
}

/**
 * `POST /hooks/microsoft`: Graph change notifications (reference D) and lifecycle ones such as `missed` (reference G).
 * Graph cannot present a Docbridge token: a subscription's creation is proven by echoing `validationToken` as
 * `text/plain` (Graph waits 10 s at most), and every notification by its `clientState` (`<channel id>.<secret>`,
 * checked in constant time by the channel registry). Drive notifications name no file, so an accepted one triggers a
 * delta read; lifecycle `missed` does too (a dropped notification is never resent), and `reauthorizationRequired` /
 * `subscriptionRemoved` also renew the channel at once (a PATCH reauthorizes a subscription; one Graph removed answers
 * 404 and is created again). Answered 202 at once.
 */
export const microsoftWebhook = {
  path: '/hooks/microsoft',
  async handler(request: Request, channels: WebhookChannels): Promise<Response> {
    const validation = new URL(request.url).searchParams.get('validationToken');
    if (validation !== null) {
      // Echoed as text, never interpreted: it only proves this address belongs to whoever subscribed.
      if (validation.length > 1024) return new Response('token too long', { status: 400 });
      return new Response(validation, {
        status: 200,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    const text = await request.text();
    if (text.length > MAX_BODY) return Response.json({ error: 'too-large' }, { status: 413 });
    let body: { value?: Notification[] };
    try {
      body = JSON.parse(text) as { value?: Notification[] };
    } catch {
      return Response.json({ error: 'invalid-notification' }, { status: 400 });
    }
    let accepted = 0;
    for (const notification of Array.isArray(body.value) ? body.value.slice(0, 100) : []) {
      const [channelId, token] = String(notification.clientState ?? '').split('.', 2);
      if (!channelId || !token) continue;
      const event = notification.lifecycleEvent;
      const renew = event === 'reauthorizationRequired' || event === 'subscriptionRemoved';
      if (channels.notified(channelId, token, { poll: true, renew })) accepted += 1;
    }
    return accepted > 0
      ? new Response(null, { status: 202 })
      : Response.json({ error: 'unknown-channel' }, { status: 403 });
  },
};
