import { endpointsSchema, googleSecretSchema } from '../../connectors/google/credentials.ts';
import type { Connector } from '../../connectors/sync/connector.ts';
import { RateLimiter } from '../../connectors/sync/rateLimiter.ts';
import type { CredentialsRepo } from '../admin/credentialsRepo.ts';

/**
 * Client-side budgets per credential, below Google's published per-user limits (reference A: 300 reads and
 * 60 writes per minute per user): 4 reads/s and 0.9 writes/s, small bursts.
 */
const GOOGLE_READS_PER_SECOND = 4;
const GOOGLE_WRITES_PER_SECOND = 0.9;

/**
 * One connector per credential, shared by every link that uses it, so its token cache and its rate limiters
 * (the credential's quota) are shared too. Secrets are decrypted once, in memory only, and dropped when the
 * credential is forgotten.
 */
export class ConnectorRegistry {
  private readonly connectors = new Map<string, Promise<Connector & { verify(): Promise<void> }>>();

  constructor(private readonly credentials: CredentialsRepo) {}

  get(tenant: string, credentialId: string): Promise<Connector & { verify(): Promise<void> }> {
    const key = `${tenant}\u0000${credentialId}`;
    let connector = this.connectors.get(key);
    if (!connector) {
      connector = this.build(tenant, credentialId);
      connector.catch(() => this.connectors.delete(key));
      this.connectors.set(key, connector);
    }
    return connector;
  }

  /** Drops the cached connector (credential deleted or replaced). */
  forget(tenant: string, credentialId: string): void {
    this.connectors.delete(`${tenant}\u0000${credentialId}`);
  }

  private async build(tenant: string, credentialId: string) {
    const info = await this.credentials.get(tenant, credentialId);
    if (!info) throw new Error(`credential ${credentialId} not found`);
    if (info.provider !== 'google') throw new Error(`no connector for provider ${info.provider} yet`);
    const secret = googleSecretSchema.parse(
      JSON.parse(await this.credentials.openSecret(tenant, credentialId)),
    );
    const endpoints = endpointsSchema.parse(info.metadata.endpoints ?? {});
    // Loaded with the first Google credential used, not at start: the API client and the converters are
    // a large part of the memory of a server that may never link a Google Doc.
    const { GoogleConnector } = await import('../../connectors/google/googleConnector.ts');
    return new GoogleConnector(secret, endpoints, {
      reads: new RateLimiter(GOOGLE_READS_PER_SECOND, 4),
      writes: new RateLimiter(GOOGLE_WRITES_PER_SECOND, 2),
    });
  }
}
