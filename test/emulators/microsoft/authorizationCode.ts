import { createHash, randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { html } from 'hono/html';
import { entraError, missingParameter, registrationOf } from './entraErrors.ts';
import type { EntraTokens } from './entraTokens.ts';
import type { AppRegistration, AuthorizationCode, GraphState } from './graphState.ts';

/** Entra's authorization codes are short-lived (about ten minutes). */
const CODE_LIFETIME_MS = 10 * 60_000;
/** Scopes of the OpenID layer, which name no resource. */
const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
/** The one delegated scope an add-in's exposed API has (docs/word-addin.md). */
const API_SCOPE = 'access_as_user';

/** The authorization request's parameters, carried through the sign-in form as hidden fields. */
const requestParameters = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'response_mode',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'login_hint',
] as const;

/**
 * The interactive half of Entra's authorization code flow (reference E, "Microsoft identity platform and OAuth
 * 2.0 authorization code flow"): `GET /{tenant}/oauth2/v2.0/authorize` checks the client and its redirect URI
 * (an unregistered one is never redirected to: Entra shows an error page, AADSTS50011), then shows a sign-in
 * form for a user of the directory; the form's answer redirects back with a single-use `code` bound to the
 * client, the redirect URI and the PKCE `code_challenge` (or with `error=access_denied` when the user
 * cancels). Errors about the request itself go back to the (registered) redirect URI as `error` and
 * `error_description`, with `state`, in the requested `response_mode` (`query` by default, or `fragment`).
 */
export function authorizeRoutes(state: GraphState) {
  const app = new Hono();

  app.get('/:tenant/oauth2/v2.0/authorize', (c) => {
    state.count('authorize');
    return authorize(c, state, new URLSearchParams(new URL(c.req.url).search), null);
  });

  app.post('/:tenant/oauth2/v2.0/authorize', async (c) => {
    state.count('authorize');
    return authorize(c, state, new URLSearchParams(await c.req.text()), 'submitted');
  });

  return app;
}

function authorize(
  c: Context,
  state: GraphState,
  query: URLSearchParams,
  submitted: 'submitted' | null,
): Response | Promise<Response> {
  const tenant = c.req.param('tenant')!;
  if (!state.tenants.has(tenant)) {
    return errorPage(
      c,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID.`,
    );
  }
  const clientId = query.get('client_id') ?? '';
  const app = state.apps.get(`${tenant}/${clientId}`);
  if (!app) {
    return errorPage(
      c,
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
    );
  }
  const redirectUri = query.get('redirect_uri') ?? '';
  if (!redirectUriKind(app, redirectUri)) {
    return errorPage(
      c,
      50011,
      `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
    );
  }
  const mode = query.get('response_mode') ?? 'query';
  const back = (answer: Record<string, string>) => {
    const target = new URL(redirectUri);
    const params = new URLSearchParams({ ...answer, ...stateOf(query) });
    if (mode === 'fragment') target.hash = params.toString();
    else for (const [name, value] of params) target.searchParams.set(name, value);
    return c.redirect(target.toString(), 302);
  };
  const refuse = (error: string, code: number, description: string) =>
    back({ error, error_description: `AADSTS${code}: ${description}` });
  if (mode !== 'query' && mode !== 'fragment') {
    return refuse('invalid_request', 900144, `The response_mode '${mode}' is not supported here.`);
  }
  if (query.get('response_type') !== 'code') {
    return refuse(
      'unsupported_response_type',
      700054,
      'response_type is not enabled for the application: use code.',
    );
  }
  const challenge = query.get('code_challenge');
  const method = query.get('code_challenge_method') ?? 'plain';
  if (challenge !== null && method !== 'S256' && method !== 'plain') {
    return refuse('invalid_request', 50149, 'Invalid Code_Challenge_method parameter.');
  }
  if (challenge !== null && !/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) {
    return refuse('invalid_request', 501491, 'Invalid size of Code_Challenge parameter.');
  }
  const scope = query.get('scope') ?? '';
  const resourceScopes = scope.split(' ').filter((s) => s && !OIDC_SCOPES.includes(s));
  const exposed = (app.identifierUris ?? []).map((uri) => `${uri}/${API_SCOPE}`);
  const unknown = resourceScopes.find((s) => !exposed.includes(s));
  if (scope.trim() === '') {
    return refuse(
      'invalid_request',
      900144,
      "The request body must contain the following parameter: 'scope'.",
    );
  }
  if (unknown !== undefined) {
    return refuse(
      'invalid_resource',
      500011,
      `The resource principal named ${unknown.slice(0, unknown.lastIndexOf('/'))} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
    );
  }
  if (submitted === null) return c.html(signInForm(query, null));
  if (query.get('action') === 'cancel') {
    return refuse('access_denied', 65004, 'User declined to consent to access the app.');
  }
  const login = (query.get('login') ?? '').trim().toLowerCase();
  const user = state.users.get(login);
  if (!user || user.tenantId !== tenant) {
    return c.html(
      signInForm(
        query,
        'That Microsoft account does not exist in this organisation. Enter a different account.',
      ),
      200,
    );
  }
  const code = randomBytes(48).toString('base64url');
  state.authorizationCodes.set(code, {
    tenantId: tenant,
    clientId,
    redirectUri,
    scope: scope.split(' ').filter(Boolean).join(' '),
    codeChallenge: challenge,
    codeChallengeMethod: method === 'S256' ? 'S256' : 'plain',
    user,
    expiresAt: Date.now() + CODE_LIFETIME_MS,
    redeemed: false,
  });
  return back({ code, session_state: randomBytes(16).toString('hex') });
}

const stateOf = (query: URLSearchParams): Record<string, string> => {
  const value = query.get('state');
  return value === null ? {} : { state: value };
};

/** Which platform of the app registration lists `redirectUri` (exact match, as Entra compares), if any. */
function redirectUriKind(app: AppRegistration, redirectUri: string): 'spa' | 'web' | null {
  if ((app.spaRedirectUris ?? []).includes(redirectUri)) return 'spa';
  if ((app.webRedirectUris ?? []).includes(redirectUri)) return 'web';
  return null;
}

/** Entra's own error page: shown, never redirected, when the client or its redirect URI is not trusted. */
function errorPage(c: Context, code: number, description: string): Response | Promise<Response> {
  return c.html(
    html`<!doctype html>
      <html lang="en">
        <head><meta charset="utf-8" /><title>Sign in to your account</title></head>
        <body>
          <main>
            <h1>Sorry, but we’re having trouble signing you in.</h1>
            <p data-aadsts="${code}">AADSTS${code}: ${description}</p>
          </main>
        </body>
      </html>`,
    400,
  );
}

/** The emulator's sign-in page: one account field, "Sign in" and "Cancel" (no password: a test directory). */
function signInForm(query: URLSearchParams, problem: string | null) {
  const hidden = requestParameters
    .filter((name) => query.get(name) !== null)
    .map((name) => html`<input type="hidden" name="${name}" value="${query.get(name)}" />`);
  return html`<!doctype html>
    <html lang="en">
      <head><meta charset="utf-8" /><title>Sign in to your account</title></head>
      <body>
        <main>
          <h1>Sign in</h1>
          <form method="post">
            ${hidden}
            <label for="login">Email, phone, or Skype</label>
            <input id="login" name="login" type="email" value="${query.get('login') ?? query.get('login_hint') ?? ''}" />
            ${problem === null ? '' : html`<p role="alert">${problem}</p>`}
            <button type="submit" name="action" value="sign-in">Sign in</button>
            <button type="submit" name="action" value="cancel">Cancel</button>
          </form>
        </main>
      </body>
    </html>`;
}

/**
 * `grant_type=authorization_code` at `/{tenant}/oauth2/v2.0/token`: redeems a code once, for the client and
 * redirect URI it was issued to, within its lifetime, with the PKCE verifier matching its challenge. A code
 * issued to a "Single-page application" redirect URI may only be redeemed cross-origin (an `Origin` header
 * of one of the app's SPA redirect URIs; AADSTS9002327 otherwise) and needs PKCE (AADSTS9002325); a
 * cross-origin redemption of any other code is refused (AADSTS9002326). The access token is the same v2.0
 * user token the add-in's API gets from Office SSO, with the add-in itself as `azp`.
 */
export async function redeemAuthorizationCode(
  c: Context,
  state: GraphState,
  entra: EntraTokens,
  tenant: string,
  form: URLSearchParams,
  authority: string,
): Promise<Response> {
  const clientId = form.get('client_id') ?? '';
  const app = registrationOf(c, state, tenant, clientId);
  if (app instanceof Response) return app;
  const missing = missingParameter(c, form, ['code', 'redirect_uri']);
  if (missing) return missing;
  const issued = state.authorizationCodes.get(form.get('code')!);
  if (!issued || issued.tenantId !== tenant || issued.clientId !== clientId) {
    return entraError(
      c,
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'code' parameter is not valid.",
    );
  }
  if (issued.redeemed) {
    return entraError(
      c,
      400,
      'invalid_grant',
      54005,
      'OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.',
    );
  }
  if (Date.now() >= issued.expiresAt) {
    return entraError(
      c,
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    );
  }
  const redirectUri = form.get('redirect_uri')!;
  if (redirectUri !== issued.redirectUri) {
    return entraError(
      c,
      400,
      'invalid_grant',
      500112,
      `The reply address '${redirectUri}' does not match the reply address '${issued.redirectUri}' provided when requesting Authorization code.`,
    );
  }
  const origin = c.req.header('origin');
  const spa = redirectUriKind(app, issued.redirectUri) === 'spa';
  const spaOrigins = (app.spaRedirectUris ?? []).map((uri) => new URL(uri).origin);
  if (origin !== undefined && (!spa || !spaOrigins.includes(origin))) {
    return entraError(
      c,
      400,
      'invalid_request',
      9002326,
      `Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '${origin}'.`,
    );
  }
  if (origin === undefined && spa) {
    return entraError(
      c,
      400,
      'invalid_request',
      9002327,
      "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    );
  }
  const pkce = checkVerifier(issued, form.get('code_verifier'), spa);
  if (pkce) return entraError(c, 400, pkce.error, pkce.code, pkce.description);
  issued.redeemed = true;
  const resourceScope = issued.scope.split(' ').find((s) => !OIDC_SCOPES.includes(s));
  const accessToken = await entra.userAccessToken(authority, issued.user, clientId, { azp: clientId });
  const lifetime = 3599;
  return c.json({
    token_type: 'Bearer',
    scope: resourceScope ?? issued.scope,
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    ...(issued.scope.split(' ').includes('openid')
      ? { id_token: await entra.idToken(authority, issued.user, clientId) }
      : {}),
  });
}

/** RFC 7636 section 4.6, as Entra words its refusals. */
function checkVerifier(
  issued: AuthorizationCode,
  verifier: string | null,
  spa: boolean,
): { error: string; code: number; description: string } | null {
  if (issued.codeChallenge === null) {
    return spa
      ? {
          error: 'invalid_request',
          code: 9002325,
          description:
            'Proof Key for Code Exchange is required for cross-origin authorization code redemption.',
        }
      : null;
  }
  if (verifier === null) {
    return {
      error: 'invalid_grant',
      code: 50148,
      description:
        'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
    };
  }
  const derived =
    issued.codeChallengeMethod === 'S256'
      ? createHash('sha256').update(verifier).digest('base64url')
      : verifier;
  if (derived !== issued.codeChallenge) {
    return {
      error: 'invalid_grant',
      code: 501481,
      description:
        'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
    };
  }
  return null;
}
