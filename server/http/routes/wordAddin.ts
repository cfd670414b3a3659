import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { WordAddinError } from '../../../connectors/microsoft/wordAddinError.ts';
import type { WordAddinDialogConfigSource } from '../../identity/wordAddinDialogConfig.ts';
import type { WordAddinSignIn } from '../../identity/wordAddinSignIn.ts';
import type { Logger } from '../../logger.ts';
import { AttemptLimiter } from '../attemptLimiter.ts';

const sessionBody = z.object({
  accessToken: z.string().min(1).max(16_384),
  documentUrl: z.string().min(1).max(4096),
});

/** Sign-in attempts per client address per minute (Office asks once per task pane load and per renewal). */
const ATTEMPTS_PER_MINUTE = 20;
/** Dialog settings asked per client address per minute (the pane and its dialog ask once per sign-in each). */
const CONFIG_READS_PER_MINUTE = 30;

const clientIdQuery = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/)
  .optional();

/**
 * `POST /api/word-addin/session { accessToken, documentUrl }` -> `{ token, document, role, expiresIn }`: the
 * Word add-in's sign-in (docs/word-addin-session.md). Refusals are `{ error, code, message }` with a stable
 * `code` (`WORD_ADDIN_…`) and its status. The access token is never logged, not even in part.
 * `GET /api/word-addin/sign-in-config?clientId=…` -> `{ clientId, tenantId, authority, scope }`: what the
 * sign-in dialog (the fallback when Office SSO is unavailable) needs; public, as it must work before any
 * sign-in, and rate-limited.
 */
export function wordAddinRoutes(options: {
  signIn: WordAddinSignIn;
  dialogConfig: WordAddinDialogConfigSource;
  logger: Logger;
}) {
  const app = new Hono();
  const limiter = new AttemptLimiter(ATTEMPTS_PER_MINUTE, 60_000);
  const configLimiter = new AttemptLimiter(CONFIG_READS_PER_MINUTE, 60_000);

  app.get('/api/word-addin/sign-in-config', async (c) => {
    const wait = configLimiter.take(clientAddress(c));
    if (wait !== null) {
      c.header('Retry-After', String(wait));
      return refuse(c, new WordAddinError('WORD_ADDIN_RATE_LIMITED', 'Too many requests: wait a minute.'));
    }
    const clientId = clientIdQuery.safeParse(c.req.query('clientId'));
    if (!clientId.success) {
      return refuse(
        c,
        new WordAddinError('WORD_ADDIN_INVALID_REQUEST', 'clientId must be the add-in’s client id (a GUID).'),
      );
    }
    try {
      const config = await options.dialogConfig(clientId.data ?? null);
      c.header('Cache-Control', 'no-store');
      return c.json(config);
    } catch (error) {
      if (!(error instanceof WordAddinError)) throw error;
      return refuse(c, error);
    }
  });

  app.post('/api/word-addin/session', async (c) => {
    const wait = limiter.take(clientAddress(c));
    if (wait !== null) {
      c.header('Retry-After', String(wait));
      return refuse(
        c,
        new WordAddinError('WORD_ADDIN_RATE_LIMITED', 'Too many sign-in attempts: wait a minute.'),
      );
    }
    const body = sessionBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) {
      return refuse(
        c,
        new WordAddinError('WORD_ADDIN_INVALID_REQUEST', 'Send { accessToken, documentUrl } as JSON.'),
      );
    }
    try {
      const session = await options.signIn({ ...body.data, userAgent: c.req.header('user-agent') ?? null });
      options.logger.info(
        { document: session.document.name, role: session.role },
        'Word add-in session opened',
      );
      return c.json(session);
    } catch (error) {
      if (!(error instanceof WordAddinError)) throw error;
      options.logger.info({ code: error.code }, 'Word add-in sign-in refused');
      return refuse(c, error);
    }
  });

  return app;
}

function refuse(c: Context, error: WordAddinError): Response {
  return c.json(
    { error: error.code.toLowerCase().replaceAll('_', '-'), code: error.code, message: error.message },
    error.status,
  );
}

/** The peer address (behind a proxy, the proxy's: the budget is then shared, which only makes it stricter). */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
