import { SignJWT } from 'jose';
import type { Claims } from '../../server/auth/claims.ts';

/** The HS256 portal secret test servers are started with. */
export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

/** Mints a portal token the way a department portal would (server-side, HS256). */
export async function portalToken(
  claims: Partial<Claims> & { docs: Claims['docs'] },
  options: {
    secret?: string;
    expiresIn?: number;
    audience?: string;
    issuer?: string;
    /** `iat` in epoch seconds (default: now). */
    issuedAt?: number;
  } = {},
): Promise<string> {
  const jwt = new SignJWT({ sub: 'user-1', name: 'Test User', tenant: 'dept-a', ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.expiresIn ?? 600));
  if (options.audience) jwt.setAudience(options.audience);
  if (options.issuer) jwt.setIssuer(options.issuer);
  return jwt.sign(new TextEncoder().encode(options.secret ?? TEST_SECRET));
}

/** An unsecured token (`alg: none`), which every server must refuse. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ exp: Math.floor(Date.now() / 1000) + 600, ...claims })}.`;
}
