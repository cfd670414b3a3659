import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppRegistration, GraphState } from './graphState.ts';

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

/** Entra's refusal of a token request lacking one of `parameters` (AADSTS900144), or null when all are there. */
export function missingParameter(c: Context, form: URLSearchParams, parameters: string[]): Response | null {
  const missing = parameters.find((parameter) => !form.get(parameter));
  return missing === undefined
    ? null
    : entraError(
        c,
        400,
        'invalid_request',
        900144,
        `The request body must contain the following parameter: '${missing}'.`,
      );
}

/** The app registration `clientId` of `tenant`, or Entra's answer when there is none (AADSTS700016). */
export function registrationOf(
  c: Context,
  state: GraphState,
  tenant: string,
  clientId: string,
): AppRegistration | Response {
  return (
    state.apps.get(`${tenant}/${clientId}`) ??
    entraError(
      c,
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    )
  );
}
