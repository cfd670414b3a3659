import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * Entra ID's token endpoint error body: `{ error, error_description, error_codes, timestamp, trace_id,
 * correlation_id }`, the description starting with `AADSTS<code>:` as Entra's does.
 */
export function entraError(
  c: Context,
  status: number,
  error: string,
  code: number,
  description: string,
): Response {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return c.json(
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
      error_codes: [code],
      timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19),
      trace_id: traceId,
      correlation_id: correlationId,
    },
    status as ContentfulStatusCode,
  );
}
