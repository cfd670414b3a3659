import * as z from 'zod/mini';
import type { OfficeNamespace } from './officeHost.ts';

const sessionSchema = z.object({
  token: z.string().check(z.minLength(1)),
  document: z.object({ name: z.string(), title: z.string() }),
  role: z.enum(['read', 'comment', 'edit']),
  /** Seconds the session lasts; the pane signs in again a minute before. */
  expiresIn: z.number().check(z.positive()),
});
/**
 * What `POST /api/word-addin/session` answers (docs/word-addin-session.md): a Docbridge socket key for the
 * linked document, its name and title, the user's role from their own access to the file, and the lifetime.
 */
export type AddinSession = z.infer<typeof sessionSchema>;

/** A refusal: `{ error, code, message }` with a stable `WORD_ADDIN_*` code. */
const refusalSchema = z.object({ error: z.string(), code: z.optional(z.string()) });

/** Why the pane cannot open the document, each with the sentence the pane shows. */
export type SessionProblem =
  | 'sso-unavailable'
  | 'sso-declined'
  | 'sign-in-cancelled'
  | 'sign-in-failed'
  | 'session-ending'
  | 'not-linked'
  | 'no-access'
  | 'sign-in-refused'
  | 'not-configured'
  | 'no-document-url'
  | 'server-unreachable'
  | 'refused';

/** A failed start, with a stable `code` the pane shows in words and tests match on. */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(
    readonly code: SessionProblem,
    readonly detail?: string,
  ) {
    super(code);
  }
}

/**
 * Office SSO error codes (Microsoft's "Troubleshoot error messages for single sign-on"): 13002 is the user
 * declining consent or sign-in; the others mean SSO cannot work here. Which of them the sign-in dialog can
 * get past is decided in dialogSignIn.ts.
 */
const SSO_DECLINED = 13_002;

/** An Entra ID access token for the add-in's own app registration from Office SSO (`Office.auth`). */
export async function ssoToken(office: OfficeNamespace): Promise<string> {
  try {
    return await office.auth.getAccessToken({ allowSignInPrompt: true, allowConsentPrompt: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new SessionError(code === SSO_DECLINED ? 'sso-declined' : 'sso-unavailable', String(code ?? ''));
  }
}

/** The server's refusal codes (`WORD_ADDIN_*`, docs/word-addin.md) as the pane's problems. */
const refusals: Record<string, SessionProblem> = {
  WORD_ADDIN_NOT_LINKED: 'not-linked',
  WORD_ADDIN_NO_ACCESS: 'no-access',
  WORD_ADDIN_TOKEN_INVALID: 'sign-in-refused',
  WORD_ADDIN_TOKEN_EXPIRED: 'sign-in-refused',
  WORD_ADDIN_WRONG_AUDIENCE: 'not-configured',
  WORD_ADDIN_TENANT_UNKNOWN: 'not-configured',
  WORD_ADDIN_NOT_CONFIGURED: 'not-configured',
  WORD_ADDIN_INVALID_REQUEST: 'no-document-url',
  WORD_ADDIN_RATE_LIMITED: 'server-unreachable',
  WORD_ADDIN_UNAVAILABLE: 'server-unreachable',
};

/** Refusals a fresh SSO token may cure (Office hands out a cached token that may just have expired). */
export const retryWithFreshToken = new Set(['WORD_ADDIN_TOKEN_EXPIRED', 'WORD_ADDIN_TOKEN_INVALID']);

/**
 * Exchanges an Entra access token for a Docbridge session on the document linked to `documentUrl` (the file
 * open in Word). The server checks the token and the user's own access to the file; its refusals become
 * `SessionError`s by their stable code (`refused` with the code as detail for any other refusal).
 */
export async function openSession(accessToken: string, documentUrl: string): Promise<AddinSession> {
  // A plain fetch, not the client's `call`: the pane has no session cookie, so no CSRF token to fetch first.
  let response: Response;
  try {
    response = await fetch('/api/word-addin/session', {
      method: 'POST',
      credentials: 'omit',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ accessToken, documentUrl }),
    });
  } catch {
    throw new SessionError('server-unreachable');
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = sessionSchema.safeParse(body);
    if (parsed.success) return parsed.data;
    throw new SessionError('server-unreachable', 'bad-response');
  }
  const refusal = refusalSchema.safeParse(body);
  const code = refusal.success ? (refusal.data.code ?? refusal.data.error) : `http-${response.status}`;
  const known = refusals[code];
  if (known) throw new SessionError(known, code);
  throw new SessionError(
    response.status >= 500 || response.status === 429 ? 'server-unreachable' : 'refused',
    code,
  );
}

/**
 * The WebSocket's token source: the session's token until a minute before it ends, then a new session from a
 * fresh Entra token (`renew`), so a reconnection after a long sleep still authenticates.
 */
export function sessionTokenSource(first: AddinSession, renew: () => Promise<AddinSession>) {
  let current = first;
  let renewAt = Date.now() + Math.max(0, first.expiresIn - 60) * 1000;
  return async (): Promise<string> => {
    if (Date.now() >= renewAt) {
      current = await renew();
      renewAt = Date.now() + Math.max(0, current.expiresIn - 60) * 1000;
    }
    return current.token;
  };
}
