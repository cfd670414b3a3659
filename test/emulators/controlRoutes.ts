import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { FaultQueue } from './faultQueue.ts';

/** What the control routes every emulator shares act on. */
export interface CommonControl<Kind extends string> {
  faults: FaultQueue<Kind>;
  /** The emulator's API methods a fault may name. */
  calls: z.ZodType<Kind>;
  /** Whether a fault may cut the connection after storing what was sent (`reset`). */
  resets: boolean;
  /** Makes every access token issued so far invalid, so clients must get new ones. */
  expireTokens(): void;
}

/**
 * The test-only control routes both emulators have, written once: `POST /control/faults` (queue a fault for
 * the next matching calls), `DELETE /control/faults`, `POST /control/expire-tokens`.
 */
export function commonControlRoutes<Kind extends string>(app: Hono, control: CommonControl<Kind>): void {
  const faultSchema = z
    .object({
      status: z.union([z.literal(429), z.literal(500), z.literal(503)]).optional(),
      retryAfterSeconds: z.number().int().min(0).optional(),
      delayMs: z.number().int().min(0).max(60_000).optional(),
      reset: z.boolean().optional(),
      count: z.number().int().min(1).max(1000),
      calls: z.array(control.calls).optional(),
    })
    .refine((fault) => control.resets || fault.reset === undefined, {
      message: 'this emulator cannot cut connections (reset)',
    });

  app.post('/control/faults', async (c) => {
    control.faults.add(faultSchema.parse(await c.req.json()));
    return c.json({ ok: true });
  });

  app.delete('/control/faults', (c) => {
    control.faults.clear();
    return c.json({ ok: true });
  });

  app.post('/control/expire-tokens', (c) => {
    control.expireTokens();
    return c.json({ ok: true });
  });
}

/** A malformed control request (a zod refusal) answered 400 with its issues; null for any other error. */
export function invalidControlRequest(error: Error, c: Context): Response | null {
  return error instanceof z.ZodError
    ? c.json({ error: 'invalid control request', issues: error.issues }, 400)
    : null;
}
