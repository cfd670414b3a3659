import { Hono } from 'hono';
import type { Suite, WebhookChannels } from '../../../connectors/sync/suite.ts';

/**
 * `POST <suite.webhook.path>` for every suite with a webhook (`/hooks/google`: Drive change notifications).
 * Remotes cannot present a Docbridge token, so each suite's handler authenticates a notification by the
 * channel it names and that channel's secret (`WebhookChannels.notified`); anything else is refused.
 */
export function hookRoutes(suites: readonly Suite[], channels: (provider: string) => WebhookChannels) {
  const app = new Hono();
  for (const suite of suites) {
    const { webhook } = suite;
    if (webhook) app.post(webhook.path, (c) => webhook.handler(c.req.raw, channels(suite.provider)));
  }
  return app;
}
