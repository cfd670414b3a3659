import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Graph's JSON error body (reference D): `{ error: { code, message, innerError: { date, request-id,
 * client-request-id } } }`, with the `request-id` and `client-request-id` headers Graph sends too.
 */
export function graphError(
  c: Context,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  const requestId = randomUUID();
  const clientRequestId = c.req.header('client-request-id') ?? randomUUID();
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  c.header('request-id', requestId);
  c.header('client-request-id', clientRequestId);
  return c.json(
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': clientRequestId,
        },
      },
    },
    status as ContentfulStatusCode,
  );
}
