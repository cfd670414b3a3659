import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A real OpenID Provider (`oidc-provider`) on loopback: one department's identity provider in tests. */
export interface TestOpenIdProvider {
  issuer: string;
  /** Registers the clients once Docbridge's redirect URIs are known (Docbridge discovers lazily). */
  register(clients: { clientId: string; redirectUri: string; auth: ClientAuth }[]): void;
  close(): Promise<void>;
}

/** How the client authenticates at the token endpoint: a shared secret, or a key pair (private_key_jwt). */
export type ClientAuth = { secret: string } | { publicJwk: Record<string, unknown> };

/**
 * Starts the provider's HTTP server at once (so its issuer URL can go into Docbridge's configuration) and
 * mounts the provider when `register` names its client. Users sign in through oidc-provider's development
 * login form: any login (it becomes the subject and `<login>@<emailDomain>` the e-mail) and any password,
 * then "Continue" on the consent page.
 */
export async function startOpenIdProvider(emailDomain: string): Promise<TestOpenIdProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end('not ready');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    register(clients) {
      const provider = new Provider(issuer, {
        clients: clients.map(({ clientId, redirectUri, auth }) => ({
          client_id: clientId,
          redirect_uris: [redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          ...('secret' in auth
            ? { client_secret: auth.secret, token_endpoint_auth_method: 'client_secret_post' }
            : {
                token_endpoint_auth_method: 'private_key_jwt',
                token_endpoint_auth_signing_alg: 'RS256',
                jwks: { keys: [auth.publicJwk] },
              }),
        })),
        // The ID token carries the scope's claims (e-mail, name), as Entra ID and Google send them.
        conformIdTokenClaims: false,
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        features: { devInteractions: { enabled: true } },
        pkce: { required: () => true },
        ttl: { Grant: 3600, AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600 },
        cookies: { keys: ['test-only-cookie-key-0123456789'] },
        async findAccount(_ctx, id) {
          return {
            accountId: id,
            async claims() {
              return { sub: id, email: `${id}@${emailDomain}`, email_verified: true, name: `User ${id}` };
            },
          };
        },
      });
      handler = provider.callback();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An RSA key pair as JWKs, for a client that authenticates with private_key_jwt (GOV.UK One Login). */
export function clientKeyPair(kid: string): {
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
} {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateJwk: { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256' },
    publicJwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}
