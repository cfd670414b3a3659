import { z } from 'zod';
import { CredentialInputError, type Suite, type SuiteCredential } from '../sync/suite.ts';
import {
  credentialUrls,
  endpointsSchema,
  googleSecretSchema,
  officialHosts,
  serviceAccountKeySchema,
} from './credentials.ts';
import { googleDocumentId } from './documentUrl.ts';

/** The body of `POST /api/credentials` for Google: a service account key or an OAuth user grant. */
const googleCredentialBody = z
  .object({
    serviceAccountKey: serviceAccountKeySchema.optional(),
    oauth: z
      .object({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        refreshToken: z.string().min(1),
      })
      .optional(),
    subject: z.string().email().optional(),
    endpoints: endpointsSchema,
  })
  .refine((body) => !!body.serviceAccountKey !== !!body.oauth, {
    message: 'give exactly one of serviceAccountKey or oauth',
  });

type GoogleCredentialBody = z.infer<typeof googleCredentialBody>;

/** The decrypted secret and the endpoints a stored Google credential names. */
function parseCredential(credential: SuiteCredential) {
  return {
    secret: googleSecretSchema.parse(JSON.parse(credential.secret)),
    endpoints: endpointsSchema.parse(credential.metadata.endpoints ?? {}),
  };
}

/**
 * Google Docs as a suite (see `connectors/sync/suite.ts`). Light on purpose: the connector, googleapis and
 * the converters load on the first `create` or `verify`.
 */
/**
 * Change probes (Drive `files.get?fields=version`) per second per credential. Drive's quota is its own, not
 * the Docs API's 300 reads a minute (Google's Drive usage-limits page: 325,000 quota units a minute per user;
 * UNCONFIRMED how many a `files.get` costs): 40 a second keeps 40 active documents polled once a second.
 */
const DRIVE_PROBES_PER_SECOND = 40;

export const googleSuite: Suite<GoogleCredentialBody> = {
  provider: 'google',
  label: 'Google Docs',
  credential: {
    owner: 'Google',
    addCommand: 'docbridge credentials add google --key-file FILE',
    schema: googleCredentialBody,
    choice: {
      legend: 'Type of credential',
      options: [
        {
          value: 'serviceAccount',
          label: 'Service account (JSON key)',
          hint: 'A robot account of your Google Cloud project. Share the Google Docs with its email address.',
        },
        {
          value: 'oauth',
          label: 'OAuth user',
          hint: 'Acts as the Google user who granted access to your OAuth client, with that user’s documents.',
        },
      ],
    },
    fields: [
      {
        name: 'serviceAccountKey',
        label: 'Service account key file (JSON)',
        kind: 'json-file',
        option: 'serviceAccount',
        hint: 'The key file downloaded from the Google Cloud console. It is encrypted on the server and never shown again.',
      },
      {
        name: 'oauth.clientId',
        label: 'Client ID',
        kind: 'text',
        option: 'oauth',
        hint: 'From the OAuth client in the Google Cloud console, usually ending in .apps.googleusercontent.com',
      },
      {
        name: 'oauth.clientSecret',
        label: 'Client secret',
        kind: 'secret',
        option: 'oauth',
        hint: 'Encrypted on the server and never shown again',
      },
      {
        name: 'oauth.refreshToken',
        label: 'Refresh token',
        kind: 'secret',
        option: 'oauth',
        hint: 'The long-lived token issued when the user granted access (not a short-lived access token). Encrypted on the server and never shown again.',
      },
      {
        name: 'subject',
        label: 'Act as user',
        kind: 'email',
        option: 'serviceAccount',
        optional: true,
        advanced: true,
        hint: 'For domain-wide delegation only: the Workspace user the service account acts as',
      },
      { name: 'endpoints.docs', label: 'Docs API address', kind: 'url', optional: true, advanced: true },
      { name: 'endpoints.drive', label: 'Drive API address', kind: 'url', optional: true, advanced: true },
      { name: 'endpoints.token', label: 'Token address', kind: 'url', optional: true, advanced: true },
    ],
    advancedHint:
      'API endpoints: leave empty to use Google’s public APIs. Set them only for a private deployment or a test emulator.',
    // Credentials registered before kinds were recorded are service accounts.
    summary(metadata) {
      if (metadata.kind === 'oauth')
        return { kind: 'Google OAuth user', account: 'The user who granted access' };
      return {
        kind: 'Google service account',
        account: typeof metadata.clientEmail === 'string' ? metadata.clientEmail : '',
        ...(typeof metadata.subject === 'string' ? { actingAs: metadata.subject } : {}),
      };
    },
    advice(metadata, error) {
      if (metadata.kind === 'oauth') {
        if (error.includes('invalid_grant'))
          return 'Google did not accept the refresh token: it may be mistyped, revoked, expired or issued to another OAuth client. Delete this credential and add it again with a new refresh token.';
        if (error.includes('invalid_client'))
          return 'Google did not recognise the OAuth client: check the client ID and client secret, then add the credential again.';
        return null;
      }
      return /invalid_(grant|client)/.test(error)
        ? 'Google did not accept the key: it may have been deleted or disabled in the Google Cloud console.'
        : null;
    },
    store(body) {
      const secret = googleSecretSchema.parse(
        body.serviceAccountKey
          ? { kind: 'serviceAccount', key: body.serviceAccountKey, subject: body.subject }
          : { kind: 'oauth', ...body.oauth },
      );
      return {
        secret,
        metadata: {
          kind: secret.kind,
          ...(body.serviceAccountKey ? { clientEmail: body.serviceAccountKey.client_email } : {}),
          ...(body.subject ? { subject: body.subject } : {}),
          endpoints: body.endpoints,
        },
      };
    },
  },
  url: {
    noun: 'Google Doc',
    example: 'https://docs.google.com/document/d/1AbC…/edit',
    pattern: '^https://docs\\.google\\.com/document/(u/\\d+/)?d/[A-Za-z0-9_-]{10,}',
    invalidError: 'invalid-google-docs-url',
  },
  parseUrl: googleDocumentId,
  browserUrl: (remoteId) => `https://docs.google.com/document/d/${remoteId}/edit`,
  // Below Google's per-user limits (reference A: 300 reads and 60 writes per minute per user).
  quota: { readsPerSecond: 4, readBurst: 4, writesPerSecond: 0.9, writeBurst: 2 },
  officialHosts,
  endpointUrls(credential) {
    const { secret, endpoints } = parseCredential(credential);
    return credentialUrls(endpoints, secret);
  },
  async preload() {
    await Promise.all([
      import('./googleConnector.ts'),
      import('./httpDocsTransport.ts'),
      import('./accessTokens.ts'),
    ]);
  },
  async create(credential, limiters) {
    const { secret, endpoints } = parseCredential(credential);
    const [{ GoogleConnector }, { HttpDocsTransport }, { localLimiters }] = await Promise.all([
      import('./googleConnector.ts'),
      import('./httpDocsTransport.ts'),
      import('../sync/rateLimiter.ts'),
    ]);
    const { quota } = googleSuite;
    const limiter = limiters ?? localLimiters;
    const transport = new HttpDocsTransport(secret, endpoints, {
      reads: limiter('reads', quota.readsPerSecond, quota.readBurst),
      writes: limiter('writes', quota.writesPerSecond, quota.writeBurst),
      probes: limiter('probes', DRIVE_PROBES_PER_SECOND, DRIVE_PROBES_PER_SECOND),
    });
    return new GoogleConnector(transport, () => transport.openChangeFeed());
  },
  async verify(credential) {
    const { secret, endpoints } = parseCredential(credential);
    const [{ AccessTokens }, { defaultEndpoints }] = await Promise.all([
      import('./accessTokens.ts'),
      import('./credentials.ts'),
    ]);
    await new AccessTokens(secret, endpoints.token ?? defaultEndpoints.token).get();
  },
  cli: {
    options: {
      'key-file': { type: 'string' },
      subject: { type: 'string' },
      'endpoints-docs': { type: 'string' },
      'endpoints-drive': { type: 'string' },
      'endpoints-token': { type: 'string' },
    },
    usage: `docbridge credentials add google --key-file FILE [--name NAME] [--subject EMAIL]
                                [--endpoints-docs URL --endpoints-drive URL --endpoints-token URL]
  --key-file FILE      the service account's JSON key file (read here, sent once, never printed)
  --name NAME          a name for admins (default: the service account's e-mail address)
  --subject EMAIL      the Workspace user to act as, with domain-wide delegation
  --endpoints-*  URL   private or sovereign Docs, Drive and token endpoints (default: Google's)`,
    async body(values) {
      const file = values['key-file'];
      if (!file) throw new CredentialInputError('USAGE', '--key-file is required');
      const { readServiceAccountKey } = await import('./keyFile.ts');
      const key = readServiceAccountKey(file);
      const endpoints = {
        ...(values['endpoints-docs'] ? { docs: values['endpoints-docs'] } : {}),
        ...(values['endpoints-drive'] ? { drive: values['endpoints-drive'] } : {}),
        ...(values['endpoints-token'] ? { token: values['endpoints-token'] } : {}),
      };
      return {
        name: key.client_email,
        body: { serviceAccountKey: key, ...(values.subject ? { subject: values.subject } : {}), endpoints },
      };
    },
  },
  webhook: {
    // Drive change notifications (reference B). Google cannot present a Docbridge token, so a notification is
    // authenticated by its channel id and the random channel token set when the channel was opened. The body
    // is empty by design: the feed is then read with changes.list.
    path: '/hooks/google',
    async handler(request, channels) {
      const header = (name: string) => request.headers.get(name) ?? '';
      const accepted = channels.notified(header('x-goog-channel-id'), header('x-goog-channel-token'), {
        poll: header('x-goog-resource-state') !== 'sync',
      });
      return accepted
        ? new Response(null, { status: 200 })
        : Response.json({ error: 'unknown-channel' }, { status: 403 });
    },
  },
};
