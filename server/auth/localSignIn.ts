import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { Claims } from './claims.ts';

/** Issuer and audience of tokens the server mints itself in local mode. */
export const LOCAL_ISSUER = 'docbridge-local';
export const LOCAL_AUDIENCE = 'docbridge';

/** The single local user of a server started without JWT settings: admin of tenant `local`. */
export const localUser: Claims = {
  sub: 'local-admin',
  name: 'Local admin',
  tenant: 'local',
  docs: { 'local/*': 'edit' },
  admin: true,
};

/**
 * The HS256 secret of local mode, generated once and kept in the data directory (mode 0600) so sessions
 * survive restarts. Never printed or logged.
 */
export function loadOrCreateLocalSecret(dataDir: string): string {
  const file = join(dataDir, 'local-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * A sign-in code in the style of Jupyter's token URL: made fresh at every start, printed once to the
 * terminal, exchanged at /signin for an HttpOnly session cookie (the address bar never keeps it).
 */
export function createSignInCode() {
  const code = randomBytes(24).toString('base64url');
  const expected = Buffer.from(code);
  return {
    code,
    matches(candidate: string | undefined): boolean {
      if (!candidate) return false;
      const given = Buffer.from(candidate);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/** Mints an HS256 token carrying `claims`, valid for `ttlSeconds`. */
export async function mintToken(
  secret: string,
  claims: Claims,
  ttlSeconds: number,
  audience = LOCAL_AUDIENCE,
  issuer = LOCAL_ISSUER,
): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setIssuer(issuer)
    .setAudience(audience)
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}
