import { Hono } from 'hono';
import { importSPKI, jwtVerify } from 'jose';
import type { EmulatorState } from './emulatorState.ts';

/**
 * Google's OAuth token endpoint (`POST /token`), as the reference describes it: a service account's RS256
 * JWT assertion (`iss` = client_email, `scope`, `aud` = this endpoint, `iat`, `exp` at most an hour later,
 * optional `sub` to impersonate), or an OAuth refresh token. Failures answer in OAuth's own error shape.
 */
export function tokenEndpoint(state: EmulatorState, tokenUrl: () => string) {
  const app = new Hono();
  app.post('/token', async (c) => {
    state.count('token');
    const form = new URLSearchParams(await c.req.text());
    const grant = form.get('grant_type');
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      const assertion = form.get('assertion') ?? '';
      const claims = await verifyAssertion(state, assertion, tokenUrl());
      if ('error' in claims) return c.json(claims, 400);
      return c.json(state.issueToken(claims.principal, claims.scopes));
    }
    if (grant === 'refresh_token') {
      const entry = state.refreshTokens.get(form.get('refresh_token') ?? '');
      if (
        !entry ||
        entry.clientId !== form.get('client_id') ||
        entry.clientSecret !== form.get('client_secret')
      ) {
        return c.json(
          { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
          400,
        );
      }
      return c.json({
        ...state.issueToken(entry.user, ['https://www.googleapis.com/auth/documents']),
        scope: 'documents',
      });
    }
    return c.json(
      { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grant ?? ''}` },
      400,
    );
  });
  return app;
}

type Verified = { principal: string; scopes: string[] } | { error: string; error_description: string };

async function verifyAssertion(state: EmulatorState, assertion: string, audience: string): Promise<Verified> {
  const invalid = (description: string): Verified => ({
    error: 'invalid_grant',
    error_description: description,
  });
  const parts = assertion.split('.');
  if (parts.length !== 3)
    return invalid('Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
  let iss: unknown;
  try {
    iss = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')).iss;
  } catch {
    return invalid('Invalid JWT payload.');
  }
  const pem = typeof iss === 'string' ? state.serviceAccounts.get(iss) : undefined;
  if (!pem) return { error: 'invalid_client', error_description: 'The OAuth client was not found.' };
  try {
    const key = await importSPKI(pem, 'RS256');
    const { payload } = await jwtVerify(assertion, key, {
      audience,
      algorithms: ['RS256'],
      requiredClaims: ['iat', 'exp'],
    });
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > 3600) {
      return invalid(
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
      );
    }
    const scope = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
    if (scope.length === 0) return invalid('Invalid JWT: scope is missing.');
    return { principal: typeof payload.sub === 'string' ? payload.sub : (iss as string), scopes: scope };
  } catch {
    return invalid('Invalid JWT Signature.');
  }
}
