import type { DialogMessage } from './dialogMessage.ts';
import type { SignInConfig } from './signInConfig.ts';

/**
 * The sign-in dialog's half of Entra's authorization code flow with PKCE, as a public single-page client
 * (RFC 7636; Microsoft's "authorization code flow" for SPAs): leave for the authority with a fresh `state`
 * and an S256 `code_challenge`, keeping the verifier in the dialog's own sessionStorage; come back to the
 * same page with `code` (or `error`) in the fragment, which never reaches a server log; check `state`;
 * redeem the code once at the token endpoint, cross-origin, with the verifier.
 */

/** What the dialog keeps while it is away at Microsoft (one pending sign-in per dialog window). */
export interface PendingSignIn {
  state: string;
  verifier: string;
  tokenEndpoint: string;
  clientId: string;
  redirectUri: string;
  scope: string;
}

const PENDING_KEY = 'docbridge.wordAddin.pendingSignIn';

/** `bytes` random bytes as base64url (32 bytes: a 43-character verifier, the RFC's minimum length). */
export function randomToken(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** The S256 code challenge of `verifier`: base64url(SHA-256(ASCII verifier)). */
export async function s256Challenge(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

/**
 * Starts a sign-in: stores a new pending sign-in in `storage` (replacing any earlier one) and returns the
 * authorization URL to navigate to. `redirectUri` is the sign-in page itself, as registered on the app.
 */
export async function beginSignIn(
  config: SignInConfig,
  redirectUri: string,
  storage: Storage,
): Promise<string> {
  const pending: PendingSignIn = {
    state: randomToken(16),
    verifier: randomToken(32),
    tokenEndpoint: `${config.authority}/oauth2/v2.0/token`,
    clientId: config.clientId,
    redirectUri,
    scope: config.scope,
  };
  storage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(`${config.authority}/oauth2/v2.0/authorize`);
  url.search = new URLSearchParams({
    client_id: pending.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: pending.scope,
    state: pending.state,
    code_challenge: await s256Challenge(pending.verifier),
    code_challenge_method: 'S256',
    response_mode: 'fragment',
  }).toString();
  return url.toString();
}

/** How the authority's redirect came back: nothing yet, a code to redeem, or why there is none. */
export type SignInReturn =
  | { kind: 'start' }
  | { kind: 'code'; code: string; pending: PendingSignIn }
  | { kind: 'failed'; message: DialogMessage };

/**
 * Reads the redirect's answer from `fragment`. The pending sign-in is taken out of `storage` whatever the
 * answer (a code is redeemed once), and an answer whose `state` is not the pending one's is refused: it was
 * not started by this dialog (a forged or replayed redirect).
 */
export function completeSignIn(fragment: string, storage: Storage): SignInReturn {
  const answer = new URLSearchParams(fragment.replace(/^#/, ''));
  if (!answer.has('code') && !answer.has('error')) return { kind: 'start' };
  const pending = pendingFrom(storage.getItem(PENDING_KEY));
  storage.removeItem(PENDING_KEY);
  if (!pending || answer.get('state') !== pending.state) {
    return { kind: 'failed', message: { error: 'refused', detail: 'state-mismatch' } };
  }
  const error = answer.get('error');
  if (error !== null) {
    return {
      kind: 'failed',
      message: {
        error: error === 'access_denied' ? 'cancelled' : 'refused',
        detail: errorDetail(error, answer.get('error_description')),
      },
    };
  }
  return { kind: 'code', code: answer.get('code') ?? '', pending };
}

/**
 * Redeems `code` at the token endpoint (the browser sends the page's Origin: a SPA redemption) and answers the
 * message for the pane: the access token only, or Entra's error and AADSTS number.
 */
export async function redeemCode(
  pending: PendingSignIn,
  code: string,
  fetchImpl: typeof fetch = fetch,
): Promise<DialogMessage> {
  let response: Response;
  try {
    response = await fetchImpl(pending.tokenEndpoint, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: pending.clientId,
        grant_type: 'authorization_code',
        code,
        redirect_uri: pending.redirectUri,
        code_verifier: pending.verifier,
        scope: pending.scope,
      }),
    });
  } catch {
    return { error: 'unavailable', detail: 'token-endpoint-unreachable' };
  }
  const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
  if (response.ok && typeof body?.access_token === 'string') return { accessToken: body.access_token };
  return {
    error: 'refused',
    detail: errorDetail(
      String(body?.error ?? `http-${response.status}`),
      String(body?.error_description ?? ''),
    ),
  };
}

/** `invalid_grant AADSTS54005`: Entra's error and number, never its text (which may echo request values). */
function errorDetail(error: string, description: string | null): string {
  const number = /AADSTS\d+/.exec(description ?? '')?.[0];
  return number ? `${error} ${number}` : error;
}

function pendingFrom(raw: string | null): PendingSignIn | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<PendingSignIn>;
    const fields = ['state', 'verifier', 'tokenEndpoint', 'clientId', 'redirectUri', 'scope'] as const;
    return fields.every((field) => typeof value[field] === 'string') ? (value as PendingSignIn) : null;
  } catch {
    return null;
  }
}
