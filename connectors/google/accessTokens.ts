import { importPKCS8, SignJWT } from 'jose';
import { RemoteError } from '../sync/remoteErrors.ts';
import { GOOGLE_SCOPES, type GoogleSecret } from './credentials.ts';

const REFRESH_MARGIN_MS = 60_000;
const oauthErrors = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'access_denied',
]);

/**
 * Access tokens for one Google credential, cached and renewed a minute before expiry. Service accounts sign
 * their own RS256 assertion (with `jose`), because google-auth-library hard-codes Google's token URL and
 * a credential must be able to name another token endpoint (reference C). `invalidate()` forces a new
 * token after a 401.
 */
export class AccessTokens {
  private current: { token: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly secret: GoogleSecret,
    private readonly tokenUrl: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async get(): Promise<string> {
    if (this.current && this.current.expiresAt - REFRESH_MARGIN_MS > Date.now()) return this.current.token;
    this.pending ??= this.request().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  invalidate(): void {
    this.current = null;
  }

  private async request(): Promise<string> {
    const body = new URLSearchParams(
      this.secret.kind === 'serviceAccount'
        ? { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await this.assertion() }
        : {
            grant_type: 'refresh_token',
            refresh_token: this.secret.refreshToken,
            client_id: this.secret.clientId,
            client_secret: this.secret.clientSecret,
          },
    );
    let response: Response;
    try {
      response = await this.fetchImpl(this.tokenUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new RemoteError('REMOTE_UNAVAILABLE', 'the token endpoint did not answer', null, {
        cause: error,
      });
    }
    const json = (await response.json().catch(() => ({}))) as {
      access_token?: string;
      expires_in?: number;
      error?: string;
    };
    if (!response.ok || !json.access_token) {
      const code =
        response.status >= 500 || response.status === 429 ? 'REMOTE_UNAVAILABLE' : 'REMOTE_AUTH_FAILED';
      // Only the registered OAuth error codes (RFC 6749 5.2) are shown; anything else the endpoint says stays out.
      const reason = oauthErrors.has(json.error ?? '') ? json.error : `HTTP ${response.status}`;
      throw new RemoteError(code, `the token endpoint refused the credential (${reason})`);
    }
    this.current = { token: json.access_token, expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000 };
    return json.access_token;
  }

  private async assertion(): Promise<string> {
    if (this.secret.kind !== 'serviceAccount') throw new Error('not a service account');
    const { key, subject } = this.secret;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ scope: GOOGLE_SCOPES.join(' '), ...(subject ? { sub: subject } : {}) })
      .setProtectedHeader({
        alg: 'RS256',
        typ: 'JWT',
        ...(key.private_key_id ? { kid: key.private_key_id } : {}),
      })
      .setIssuer(key.client_email)
      .setAudience(this.tokenUrl)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600);
    return jwt.sign(await importPKCS8(key.private_key, 'RS256'));
  }
}
