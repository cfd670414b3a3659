import { CredentialInputError, type Suite, type SuiteCredential } from '../sync/suite.ts';
import {
  defaultEndpoints,
  type MicrosoftAppCredential,
  type MicrosoftCredentialBody,
  microsoftCredentialBody,
  microsoftEndpointsSchema,
  microsoftSecretSchema,
  officialHosts,
} from './credentials.ts';
import { microsoftRemoteId } from './itemAddress.ts';
import { microsoftWebhook } from './webhook.ts';

/** The app credential a stored Microsoft credential names (secret decrypted by the caller). */
export function appCredential(credential: SuiteCredential): MicrosoftAppCredential {
  const { metadata } = credential;
  return {
    tenantId: String(metadata.tenantId),
    clientId: String(metadata.clientId),
    secret: microsoftSecretSchema.parse(JSON.parse(credential.secret)),
    endpoints: { ...defaultEndpoints, ...microsoftEndpointsSchema.parse(metadata.endpoints ?? {}) },
  };
}

/**
 * Word files in OneDrive and SharePoint, file mode (issue 12), as a suite. Light on purpose: the connector,
 * `@azure/identity`, the Graph client and the docx converter load on the first `create` or `verify`.
 */
export const microsoftSuite: Suite<MicrosoftCredentialBody> = {
  provider: 'microsoft',
  label: 'Microsoft Word (OneDrive, SharePoint)',
  liveClient: 'Word',
  credential: {
    owner: 'Microsoft',
    addCommand: 'docbridge credentials add microsoft --tenant ID --client ID --secret-file FILE',
    schema: microsoftCredentialBody,
    choice: {
      legend: 'How the app proves itself',
      options: [
        {
          value: 'certificate',
          label: 'Certificate (preferred)',
          hint: 'A PEM file with the certificate and its private key.',
        },
        {
          value: 'clientSecret',
          label: 'Client secret',
          hint: 'The secret’s value (not its ID). Secrets expire: renew it in time.',
        },
      ],
    },
    fields: [
      {
        name: 'tenantId',
        label: 'Directory (tenant) ID',
        kind: 'text',
        hint: 'On the app registration’s overview page in Microsoft Entra',
      },
      { name: 'clientId', label: 'Application (client) ID', kind: 'text' },
      {
        name: 'certificate',
        label: 'Certificate with its private key (PEM)',
        kind: 'pem-file',
        option: 'certificate',
        hint: 'Encrypted on the server and never shown again',
      },
      {
        name: 'clientSecret',
        label: 'Client secret value',
        kind: 'secret',
        option: 'clientSecret',
        hint: 'Encrypted on the server and never shown again',
      },
      { name: 'endpoints.graph', label: 'Graph address', kind: 'url', optional: true, advanced: true },
      {
        name: 'endpoints.login',
        label: 'Sign-in authority address',
        kind: 'url',
        optional: true,
        advanced: true,
      },
      {
        name: 'addinClientId',
        label: 'Word add-in client ID',
        kind: 'text',
        optional: true,
        hint: 'Only for the Docbridge add-in for Word (docs/word-addin.md).',
      },
    ],
    advancedHint: 'National cloud endpoints: leave empty for Microsoft’s global cloud.',
    summary(metadata) {
      return {
        kind: `Microsoft Entra app (${metadata.kind === 'certificate' ? 'certificate' : 'client secret'})`,
        account: `App ${String(metadata.clientId ?? '')} in tenant ${String(metadata.tenantId ?? '')}`,
      };
    },
    advice(_metadata, error) {
      return error.includes('refused the app credential')
        ? 'Microsoft Entra did not accept the app: check the tenant ID, the client ID and that the secret or certificate is current (secrets expire), then add the credential again.'
        : null;
    },
    store(body) {
      const secret = body.clientSecret
        ? { kind: 'clientSecret' as const, clientSecret: body.clientSecret }
        : { kind: 'certificate' as const, certificate: body.certificate! };
      return {
        secret,
        metadata: {
          kind: secret.kind,
          tenantId: body.tenantId,
          clientId: body.clientId,
          ...(body.addinClientId ? { addinClientId: body.addinClientId } : {}),
          endpoints: body.endpoints,
        },
      };
    },
  },
  url: {
    noun: 'Word file',
    example: 'https://contoso.sharepoint.com/:w:/s/Policy/EaBc…',
    pattern: '^https://[A-Za-z0-9-]+\\.sharepoint\\.(com|us|cn)/',
    invalidError: 'invalid-microsoft-file-url',
  },
  parseUrl: microsoftRemoteId,
  // A share id carries the address it was made from; a bare drive/item id has no address without asking
  // Graph (empty: no link is shown).
  browserUrl: (remoteId) => {
    const share = /^shares\/u!([A-Za-z0-9_-]+)$/.exec(remoteId)?.[1];
    return share ? Buffer.from(share, 'base64url').toString('utf8') : '';
  },
  // Graph throttles per app and tenant; these stay far below (reads include delta and polling of active files).
  quota: { readsPerSecond: 5, readBurst: 10, writesPerSecond: 1, writeBurst: 3 },
  officialHosts,
  endpointUrls(credential) {
    const { endpoints } = appCredential(credential);
    return [
      ['endpoints.graph', endpoints.graph],
      ['endpoints.login', endpoints.login],
    ];
  },
  // Deliberately nothing: @azure/identity, MSAL and the Graph client add about 28 MiB of resident memory, which
  // a server without Microsoft credentials must not pay (idle footprint, issue 17). They load with the first
  // Microsoft `create` or `verify`, which waits for them once (well under a second).
  async preload() {},
  async create(credential, limiters) {
    const [{ MicrosoftConnector }, { localLimiters }] = await Promise.all([
      import('./microsoftConnector.ts'),
      import('../sync/rateLimiter.ts'),
    ]);
    const { quota } = microsoftSuite;
    const limiter = limiters ?? localLimiters;
    return new MicrosoftConnector(appCredential(credential), {
      reads: limiter('reads', quota.readsPerSecond, quota.readBurst),
      writes: limiter('writes', quota.writesPerSecond, quota.writeBurst),
    });
  },
  async verify(credential) {
    const [{ GraphApi }, { RateLimiter }] = await Promise.all([
      import('./graphApi.ts'),
      import('../sync/rateLimiter.ts'),
    ]);
    const limiter = new RateLimiter(1, 1);
    await new GraphApi(appCredential(credential), { reads: limiter, writes: limiter }).verify();
  },
  cli: {
    options: {
      tenant: { type: 'string' },
      client: { type: 'string' },
      'addin-client': { type: 'string' },
      'secret-file': { type: 'string' },
      'certificate-file': { type: 'string' },
      'endpoints-graph': { type: 'string' },
      'endpoints-login': { type: 'string' },
    },
    usage: `docbridge credentials add microsoft --tenant ID --client ID (--secret-file FILE | --certificate-file FILE)
                                [--name NAME] [--addin-client ID] [--endpoints-graph URL --endpoints-login URL]
  --tenant ID             the directory (tenant) id of the Entra app registration
  --client ID             its application (client) id
  --secret-file FILE      a file holding the client secret's value (read here, sent once, never printed)
  --certificate-file FILE or a PEM file with the certificate and its private key
  --addin-client ID       the Word add-in's app registration (client) id, for its sign-in (docs/word-addin-session.md)
  --endpoints-*  URL      a national cloud's Graph and sign-in endpoints (default: the global cloud)`,
    async body(values) {
      if (!values.tenant || !values.client)
        throw new CredentialInputError('USAGE', '--tenant and --client are required');
      if (!values['secret-file'] === !values['certificate-file']) {
        throw new CredentialInputError('USAGE', 'give exactly one of --secret-file or --certificate-file');
      }
      const { readSecretFile } = await import('./secretFile.ts');
      const proof = values['secret-file']
        ? { clientSecret: readSecretFile(values['secret-file'], 'client secret') }
        : { certificate: readSecretFile(values['certificate-file']!, 'certificate') };
      const endpoints = {
        ...(values['endpoints-graph'] ? { graph: values['endpoints-graph'] } : {}),
        ...(values['endpoints-login'] ? { login: values['endpoints-login'] } : {}),
      };
      return {
        name: `Microsoft app ${values.client}`,
        body: {
          tenantId: values.tenant,
          clientId: values.client,
          ...(values['addin-client'] ? { addinClientId: values['addin-client'] } : {}),
          ...proof,
          endpoints,
        },
      };
    },
  },
  webhook: microsoftWebhook,
};
