import { suiteFor } from '../../connectors/suites.ts';
import type { Connector } from '../../connectors/sync/connector.ts';
import type { LimiterFactory } from '../../connectors/sync/rateLimiter.ts';
import { RemoteError } from '../../connectors/sync/remoteErrors.ts';
import type { SuiteCredential } from '../../connectors/sync/suite.ts';
import type { CredentialsRepo } from '../admin/credentialsRepo.ts';
import {
  checkCredentialEndpoints,
  EndpointNotAllowedError,
  type SuiteEndpointPolicies,
} from '../admin/endpointPolicy.ts';

/**
 * One connector per credential, shared by every link that uses it, so its token cache and its rate limiters
 * (the credential's quota) are shared too. Built by the credential's suite (`connectors/suites.ts`). Secrets
 * are decrypted once, in memory only, and dropped when the credential is forgotten.
 */
export class ConnectorRegistry {
  private readonly connectors = new Map<string, Promise<Connector>>();

  constructor(
    private readonly credentials: CredentialsRepo,
    /** Checked again on every load: a credential stored before the operator narrowed the list stays unused. */
    private readonly endpoints: SuiteEndpointPolicies,
    /** The limiters of one credential (`scope`), when its quota is shared with other instances. */
    private readonly limiters?: (scope: string) => LimiterFactory,
  ) {}

  get(tenant: string, credentialId: string): Promise<Connector> {
    const key = `${tenant}\u0000${credentialId}`;
    let connector = this.connectors.get(key);
    if (!connector) {
      connector = this.open(tenant, credentialId).then(({ suite, credential }) =>
        suite.create(credential, this.limiters?.(`${tenant}:${credentialId}`)),
      );
      connector.catch(() => this.connectors.delete(key));
      this.connectors.set(key, connector);
    }
    return connector;
  }

  /** Asks the credential's suite to prove it works (a fresh token request, no cached token). */
  async verify(tenant: string, credentialId: string): Promise<void> {
    const { suite, credential } = await this.open(tenant, credentialId);
    await suite.verify(credential);
  }

  /**
   * A stored credential with its secret decrypted, once its endpoints passed the operator's policy: for
   * suite-specific calls that are not link syncs (the Word add-in's on-behalf-of sign-in). Never log it.
   */
  credential(tenant: string, credentialId: string): Promise<SuiteCredential> {
    return this.open(tenant, credentialId).then(({ credential }) => credential);
  }

  /** Drops the cached connector (credential deleted or replaced). */
  forget(tenant: string, credentialId: string): void {
    this.connectors.delete(`${tenant}\u0000${credentialId}`);
  }

  private async open(tenant: string, credentialId: string) {
    const info = await this.credentials.get(tenant, credentialId);
    if (!info) throw new Error(`credential ${credentialId} not found`);
    const suite = suiteFor(info.provider);
    if (!suite) throw new Error(`no suite for provider ${info.provider}`);
    const credential: SuiteCredential = {
      secret: await this.credentials.openSecret(tenant, credentialId),
      metadata: info.metadata,
    };
    try {
      await checkCredentialEndpoints(this.endpoints, suite, credential);
    } catch (error) {
      // Our own words (which endpoint, why), safe to show; not retried in a loop.
      if (error instanceof EndpointNotAllowedError)
        throw new RemoteError('REMOTE_AUTH_FAILED', error.message);
      throw error;
    }
    return { suite, credential };
  }
}
