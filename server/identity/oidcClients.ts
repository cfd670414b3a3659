import { importJWK } from 'jose';
import * as client from 'openid-client';
import type { OidcProviderConfig } from './oidcProviders.ts';

/**
 * One openid-client Configuration per provider, discovered on first use (so a provider that is down at start
 * does not stop the server) and discovered again after a failure. Client authentication follows the
 * settings: `private_key_jwt` with `privateKeyJwk` (GOV.UK One Login), `client_secret_post` with
 * `clientSecret` (Entra ID, Google), none otherwise (a public client, PKCE only).
 */
export function createOidcClients(providers: OidcProviderConfig[]) {
  const byId = new Map(providers.map((p) => [p.id, p]));
  const discovered = new Map<string, Promise<client.Configuration>>();

  async function discover(provider: OidcProviderConfig): Promise<client.Configuration> {
    const options = provider.issuer.startsWith('http://') ? { execute: [client.allowInsecureRequests] } : {};
    return client.discovery(
      new URL(provider.issuer),
      provider.clientId,
      provider.clientSecret ? { client_secret: provider.clientSecret } : {},
      await clientAuth(provider),
      options,
    );
  }

  return {
    /** Every configured provider, in configuration order. */
    providers,
    /** The provider's settings, or undefined for an unknown id. */
    provider: (id: string) => byId.get(id),
    /** Its discovered client configuration. */
    async configuration(provider: OidcProviderConfig): Promise<client.Configuration> {
      let pending = discovered.get(provider.id);
      if (!pending) {
        pending = discover(provider);
        discovered.set(provider.id, pending);
        pending.catch(() => discovered.delete(provider.id));
      }
      return pending;
    },
  };
}

export type OidcClients = ReturnType<typeof createOidcClients>;

async function clientAuth(provider: OidcProviderConfig): Promise<client.ClientAuth> {
  if (provider.privateKeyJwk) {
    const jwk = provider.privateKeyJwk as Record<string, unknown> & {
      kty: string;
      kid?: string;
      alg?: string;
    };
    const alg = jwk.alg ?? (jwk.kty === 'EC' ? 'ES256' : 'RS256');
    const key = await importJWK(jwk, alg);
    if (!(key instanceof CryptoKey))
      throw new Error(`provider ${provider.id}: privateKeyJwk is not a private key`);
    return client.PrivateKeyJwt({ key, ...(jwk.kid ? { kid: jwk.kid } : {}) });
  }
  if (provider.clientSecret) return client.ClientSecretPost(provider.clientSecret);
  return client.None();
}

/** True when the ID token's claims make the user an administrator of the provider's tenant. */
export function isAdmin(provider: OidcProviderConfig, claims: Record<string, unknown>): boolean {
  if (!provider.adminClaim) return false;
  const value = claims[provider.adminClaim.claim];
  const wanted = provider.adminClaim.value;
  return Array.isArray(value) ? value.includes(wanted) : value === wanted;
}
