import { suiteFor } from '../../connectors/suites.ts';
import type { Connector } from '../../connectors/sync/connector.ts';
import type { SuiteCredential } from '../../connectors/sync/suite.ts';
import type { CredentialsRepo } from '../admin/credentialsRepo.ts';

/**
 * One connector per credential, shared by every link that uses it, so its token cache and its rate limiters
 * (the credential's quota) are shared too. Built by the credential's suite (`connectors/suites.ts`). Secrets
 * are decrypted once, in memory only, and dropped when the credential is forgotten.
 */
export class ConnectorRegistry {
  private readonly connectors = new Map<string, Promise<Connector>>();

  constructor(private readonly credentials: CredentialsRepo) {}

  get(tenant: string, credentialId: string): Promise<Connector> {
    const key = `${tenant}\u0000${credentialId}`;
    let connector = this.connectors.get(key);
    if (!connector) {
      connector = this.open(tenant, credentialId).then(({ suite, credential }) => suite.create(credential));
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
    return { suite, credential };
  }
}
