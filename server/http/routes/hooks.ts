import { Hono } from 'hono';
import type { ChangeFeeds } from '../../links/changeFeeds.ts';

/**
 * `POST /hooks/google`: Drive change notifications (reference B). Google cannot present a Docbridge token, so
 * each notification is authenticated by its channel id and the random channel token set when the channel was
 * opened; anything else is refused. The body is empty by design: the feed is then read with changes.list.
 */
export function hookRoutes(feeds: ChangeFeeds) {
  const app = new Hono();
  app.post('/hooks/google', (c) => {
    const accepted = feeds.notified(
      c.req.header('x-goog-channel-id') ?? '',
      c.req.header('x-goog-channel-token') ?? '',
      c.req.header('x-goog-resource-state') ?? '',
    );
    return accepted ? c.body(null, 200) : c.json({ error: 'unknown-channel' }, 403);
  });
  return app;
}
