import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { redeemAuthorizationCode } from './authorizationCode.ts';
import { entraError, missingParameter, registrationOf } from './entraErrors.ts';
import type { EntraTokens } from './entraTokens.ts';
import type { AppRegistration, GraphState } from './graphState.ts';

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const OBO_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/**
 * The Microsoft identity platform's part the auth library talks to (reference E): the tenant's OpenID
 * configuration (`/{tenant}/v2.0/.well-known/openid-configuration`, which MSAL reads before asking for a
 * token when instance discovery is off), and the client-credentials token endpoint
 * (`/{tenant}/oauth2/v2.0/token`) taking a client secret or a certificate-signed client assertion, for a
 * `.default` scope of this Graph; the signing keys (`/{tenant}/discovery/v2.0/keys`); and the on-behalf-of
 * grant (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`, `requested_token_use=on_behalf_of`), which
 * turns a user's token for a middle tier (the Word add-in's Office SSO token) into a delegated Graph token for
 * that user. Failures answer in Entra's shape: `{ error, error_description, error_codes, timestamp, trace_id,
 * correlation_id }`. The authorization code grant (a public client with PKCE) is in authorizationCode.ts.
 */
export function loginRoutes(state: GraphState, entra: EntraTokens, origin: () => string) {
  const app = new Hono();

  app.get('/:tenant/discovery/v2.0/keys', async (c) => {
    state.count('jwks');
    return c.json(await entra.jwks());
  });

  app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
    state.count('openid-configuration');
    const tenant = c.req.param('tenant');
    if (!knownTenant(state, tenant)) {
      return entraError(c, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    }
    const base = `${origin()}/${tenant}`;
    return c.json({
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${origin()}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${origin()}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce', 'tid'],
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
    });
  });

  // A browser may call the token endpoint (a single-page app redeeming its code): Entra answers with CORS
  // headers for any origin, so the page can read the refusal too (AADSTS9002326 names the origin).
  app.use('/:tenant/oauth2/v2.0/token', async (c, next) => {
    await next();
    const requester = c.req.header('origin');
    if (requester) c.header('Access-Control-Allow-Origin', requester);
  });

  app.post('/:tenant/oauth2/v2.0/token', async (c) => {
    state.count('token');
    const tenant = c.req.param('tenant');
    const form = new URLSearchParams(await c.req.text());
    if (!knownTenant(state, tenant)) {
      return entraError(c, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    }
    if (form.get('grant_type') === OBO_GRANT) return onBehalfOf(c, state, entra, tenant, form, origin());
    if (form.get('grant_type') === 'authorization_code') {
      return redeemAuthorizationCode(c, state, entra, tenant, form, origin());
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(
        c,
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
    }
    const registration = registrationOf(c, state, tenant, form.get('client_id') ?? '');
    if (registration instanceof Response) return registration;
    const scope = form.get('scope') ?? '';
    const allowedScopes = [`${origin()}/.default`, 'https://graph.microsoft.com/.default'];
    if (!allowedScopes.includes(scope)) {
      return entraError(
        c,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.`,
      );
    }
    const problem = await authenticate(registration, form, `${origin()}/${tenant}/oauth2/v2.0/token`);
    if (problem) return entraError(c, 401, 'invalid_client', problem.code, problem.description);
    return c.json(state.issueToken(registration));
  });

  return app;
}

/**
 * The on-behalf-of exchange: the middle tier (client id + its secret or certificate) presents the user's token
 * it received (`assertion`); Entra checks both and answers a delegated Graph token for that user, plus an
 * ID token and `client_info` when asked (MSAL asks for `openid profile offline_access` and `client_info=1`).
 */
async function onBehalfOf(
  c: Context,
  state: GraphState,
  entra: EntraTokens,
  tenant: string,
  form: URLSearchParams,
  authority: string,
): Promise<Response> {
  const missing = missingParameter(c, form, ['requested_token_use', 'assertion', 'client_id']);
  if (missing) return missing;
  if (form.get('requested_token_use') !== 'on_behalf_of') {
    return entraError(c, 400, 'invalid_request', 90002, "requested_token_use must be 'on_behalf_of'.");
  }
  const clientId = form.get('client_id')!;
  const registration = registrationOf(c, state, tenant, clientId);
  if (registration instanceof Response) return registration;
  const problem = await authenticate(registration, form, `${authority}/${tenant}/oauth2/v2.0/token`);
  if (problem) return entraError(c, 401, 'invalid_client', problem.code, problem.description);
  const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
  const graphScopes = scopes.filter(
    (scope) => !['openid', 'profile', 'offline_access', 'email'].includes(scope),
  );
  const graphOrigins = [authority, 'https://graph.microsoft.com'];
  if (
    graphScopes.length === 0 ||
    !graphScopes.every((scope) => graphOrigins.some((origin) => scope.startsWith(`${origin}/`)))
  ) {
    return entraError(
      c,
      400,
      'invalid_scope',
      70011,
      `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid: '${graphScopes.join(' ')}'.`,
    );
  }
  const checked = await entra.checkAssertion(authority, tenant, clientId, form.get('assertion')!);
  if ('error' in checked) return entraError(c, 400, checked.error, checked.code, checked.description);
  const user = [...state.users.values()].find((u) => u.oid === checked.oid && u.tenantId === tenant);
  if (!user) {
    return entraError(c, 400, 'invalid_grant', 50034, 'The user account does not exist in the directory.');
  }
  const issued = state.issueToken(registration, user);
  return c.json({
    ...issued,
    scope: `${authority}/Files.ReadWrite.All ${authority}/User.Read`,
    ...(scopes.includes('openid') ? { id_token: await entra.idToken(authority, user, clientId) } : {}),
    ...(form.get('client_info') === '1'
      ? {
          client_info: Buffer.from(JSON.stringify({ uid: user.oid, utid: user.tenantId })).toString(
            'base64url',
          ),
        }
      : {}),
    ...(scopes.includes('offline_access') ? { refresh_token: randomUUID() } : {}),
  });
}

function knownTenant(state: GraphState, tenant: string): boolean {
  return state.tenants.has(tenant);
}

/** Checks the client secret, or the client assertion against the registered certificate. */
async function authenticate(
  app: AppRegistration,
  form: URLSearchParams,
  audience: string,
): Promise<{ code: number; description: string } | null> {
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (app.clientSecret && secret === app.clientSecret) return null;
    return {
      code: 7000215,
      description:
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
    };
  }
  if (assertion !== null && form.get('client_assertion_type') === ASSERTION_TYPE) {
    if (!app.certificatePem) {
      return {
        code: 700027,
        description:
          'The certificate with identifier used to sign the client assertion is not registered on application.',
      };
    }
    try {
      const { alg } = decodeProtectedHeader(assertion);
      if (alg !== 'RS256' && alg !== 'PS256') throw new Error('algorithm');
      const key = await importX509(app.certificatePem, alg);
      await jwtVerify(assertion, key, {
        audience,
        issuer: app.clientId,
        subject: app.clientId,
        requiredClaims: ['exp', 'jti'],
        // Entra allows five minutes of clock skew (MSAL rounds nbf up to the next second).
        clockTolerance: 300,
      });
      return null;
    } catch {
      return { code: 700027, description: 'Client assertion failed signature validation.' };
    }
  }
  return {
    code: 7000218,
    description:
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
  };
}
