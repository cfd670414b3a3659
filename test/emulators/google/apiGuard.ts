import type { Context } from 'hono';
import type { AccessToken, CallKind, EmulatedFile, EmulatorState } from './emulatorState.ts';
import type { FaultQueue } from './faults.ts';
import { googleError, statusFor } from './googleErrors.ts';
import { quotaMessages } from './userQuota.ts';

const documentScopes = [
  'https://www.googleapis.com/auth/documents',
  'https://www.googleapis.com/auth/documents.readonly',
  'https://www.googleapis.com/auth/drive',
  'https://www.googleapis.com/auth/drive.file',
  'https://www.googleapis.com/auth/drive.readonly',
];

/**
 * What every Google API call goes through in the emulator: counting, injected faults (errors with
 * Retry-After, slow responses), OAuth bearer authentication, and Google's per-user quotas (`userQuota.ts`). Returns the caller's token, or the error
 * response to send.
 */
export async function guard(
  c: Context,
  state: EmulatorState,
  faults: FaultQueue,
  kind: CallKind,
): Promise<{ token: AccessToken } | { response: Response }> {
  state.count(kind);
  const fault = faults.take(kind);
  if (fault?.delayMs) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault?.status) {
    const headers: Record<string, string> = fault.retryAfterSeconds
      ? { 'Retry-After': String(fault.retryAfterSeconds) }
      : {};
    const message =
      fault.status === 429
        ? "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user'."
        : 'The service is currently unavailable.';
    return { response: googleError(c, fault.status, statusFor[fault.status]!, message, headers) };
  }
  const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  const token = bearer ? state.tokens.get(bearer) : undefined;
  if (!token || token.expiresAt <= Date.now()) {
    const message =
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';
    return {
      response: googleError(c, 401, 'UNAUTHENTICATED', message, {
        'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"',
      }),
    };
  }
  if (!token.scopes.some((scope) => documentScopes.includes(scope))) {
    return {
      response: googleError(c, 403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.'),
    };
  }
  const exceeded = state.quota.admit(token.principal, kind);
  if (exceeded) {
    return { response: googleError(c, 429, 'RESOURCE_EXHAUSTED', quotaMessages[exceeded]) };
  }
  return { token };
}

/** The file, if the caller may use it; else Google's 404 (missing) or 403 (no access). */
export function fileFor(
  c: Context,
  state: EmulatorState,
  token: AccessToken,
  id: string,
): { file: EmulatedFile } | { response: Response } {
  const file = state.files.get(id);
  if (!file || file.trashed)
    return { response: googleError(c, 404, 'NOT_FOUND', 'Requested entity was not found.') };
  if (!file.editors.has(token.principal)) {
    return { response: googleError(c, 403, 'PERMISSION_DENIED', 'The caller does not have permission') };
  }
  return { file };
}
