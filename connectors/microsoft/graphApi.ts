import { ClientCertificateCredential, ClientSecretCredential, type TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  ResponseType,
} from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import type { RateLimiter } from '../sync/rateLimiter.ts';
import type { RemoteError } from '../sync/remoteErrors.ts';
import type { MicrosoftAppCredential } from './credentials.ts';
import { graphFailure, responseFailure, toRemoteError } from './graphErrors.ts';

const REQUEST_TIMEOUT_MS = 30_000;

/** The client-side budget of one credential: every call waits for its limiter. */
export interface GraphQuota {
  reads: RateLimiter;
  writes: RateLimiter;
}

/**
 * App-only access to Graph for one credential: `@azure/identity` (client secret or certificate, the
 * credential's authority host, instance discovery off so no other host is asked) and the Graph client with
 * the credential's Graph root as `baseUrl`, listed in `customHosts` so the token goes there and nowhere else.
 * The chain is authentication + transport only: retries belong to the engine, which honours Retry-After and
 * shows the wait on the link. A 401 gets one retry with a fresh credential (a new token).
 */
export class GraphApi {
  private client: Client;

  /** `asUser`: a delegated credential (a user's on-behalf-of token) used instead of the app's own. */
  constructor(
    private readonly app: MicrosoftAppCredential,
    readonly quota: GraphQuota,
    private readonly asUser?: TokenCredential,
  ) {
    this.client = this.build();
  }

  /** The Graph root's origin + `/.default`: the scope app-only tokens are asked for. */
  get scope(): string {
    return `${new URL(this.app.endpoints.graph).origin}/.default`;
  }

  /** True when `url` is on the credential's Graph origin (links Graph returns are followed only there). */
  isGraphAddress(url: string): boolean {
    try {
      return new URL(url).origin === new URL(this.app.endpoints.graph).origin;
    } catch {
      return false;
    }
  }

  /** A fresh token, proving the credential works (nothing cached is reused). */
  async verify(): Promise<void> {
    try {
      await this.credential().getToken(this.scope);
    } catch (error) {
      throw toRemoteError(graphFailure(error), 'sign-in');
    }
  }

  /** One JSON call, failures in the engine's terms. */
  async call<T>(what: string, kind: 'read' | 'write', send: (client: Client) => Promise<T>): Promise<T> {
    const limiter = kind === 'read' ? this.quota.reads : this.quota.writes;
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire();
      try {
        return await send(this.client);
      } catch (error) {
        const failure = graphFailure(error);
        if (failure.status === 401 && attempt === 0) {
          this.client = this.build();
          continue;
        }
        const remote: RemoteError = toRemoteError(failure, what);
        if (remote.code === 'REMOTE_RATE_LIMITED') limiter.pauseFor(remote.retryAfterMs ?? 5000);
        throw remote;
      }
    }
  }

  /**
   * `GET path` answered as the raw Response, redirects not followed (a download's 302 is read, and its
   * pre-authenticated address fetched without the token by the caller).
   */
  async raw(what: string, path: string): Promise<Response> {
    return this.call(what, 'read', async (client) => {
      const response = (await client
        .api(path)
        .option('redirect', 'manual')
        .option('signal', AbortSignal.timeout(REQUEST_TIMEOUT_MS))
        .responseType(ResponseType.RAW)
        .get()) as Response;
      if (response.status < 400) return response;
      // Shaped like a GraphError, so that `call` renews the token on 401 and translates the rest.
      const failure = await responseFailure(response);
      throw Object.assign(new Error(failure.message), {
        statusCode: failure.status,
        code: failure.code,
        headers: response.headers,
      });
    });
  }

  private credential(): TokenCredential {
    const { tenantId, clientId, secret, endpoints } = this.app;
    const options = { authorityHost: endpoints.login, disableInstanceDiscovery: true };
    return secret.kind === 'clientSecret'
      ? new ClientSecretCredential(tenantId, clientId, secret.clientSecret, options)
      : new ClientCertificateCredential(tenantId, clientId, { certificate: secret.certificate }, options);
  }

  private build(): Client {
    const auth = new AuthenticationHandler(
      new TokenCredentialAuthenticationProvider(this.asUser ?? this.credential(), { scopes: [this.scope] }),
    );
    const transport = new HTTPMessageHandler();
    auth.setNext(transport);
    return Client.initWithMiddleware({
      middleware: auth,
      baseUrl: `${this.app.endpoints.graph}/`,
      defaultVersion: 'v1.0',
      customHosts: new Set([new URL(this.app.endpoints.graph).hostname]),
    });
  }
}

/** Timeout for requests made outside the Graph client (pre-authenticated download and upload URLs). */
export const DIRECT_TIMEOUT_MS = REQUEST_TIMEOUT_MS;
