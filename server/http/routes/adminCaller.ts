import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Claims } from '../../auth/claims.ts';
import { AuthError } from '../../auth/errors.ts';
import type { TokenVerifier } from '../../auth/tokenVerifier.ts';
import { authenticateRequest, SESSION_COOKIE } from './session.ts';

/** A request refused because the caller is signed in but does not administer its tenant. */
export class AdminRequiredError extends Error {
  readonly code = 'ADMIN_REQUIRED';
}

/**
 * The administrator making an admin API call: a bearer token (or the local session cookie) whose claims say
 * `admin: true`. An admin acts within its own tenant only; every route takes the tenant from here, never
 * from the request.
 */
export async function adminCaller(c: Context, verify: TokenVerifier): Promise<Claims> {
  const claims = await authenticateRequest(
    verify,
    c.req.header('authorization'),
    getCookie(c, SESSION_COOKIE),
  );
  if (!claims.admin) throw new AdminRequiredError('this action needs an administrator of the tenant');
  return claims;
}

export { AuthError };
