import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { Storage } from '../../storage/storage.ts';

/** `GET /healthz` (JSON; 503 when storage does not answer) and `GET /metrics` (Prometheus text). */
export function healthRoutes(storage: Storage, registry: Registry) {
  const app = new Hono();
  app.get('/healthz', async (c) => {
    const started = performance.now();
    try {
      await storage.ping();
      return c.json({ status: 'ok', storage: { kind: storage.kind, ok: true, ms: elapsed(started) } });
    } catch {
      return c.json({ status: 'unavailable', storage: { kind: storage.kind, ok: false } }, 503);
    }
  });
  app.get('/metrics', async (c) => {
    c.header('Content-Type', registry.contentType);
    return c.body(await registry.metrics());
  });
  return app;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
