import { z } from 'zod';

/** Microsoft's global cloud; a credential may name a national cloud or an emulator instead. */
export const defaultEndpoints = {
  graph: 'https://graph.microsoft.com',
  login: 'https://login.microsoftonline.com',
};

export type MicrosoftEndpoints = typeof defaultEndpoints;

/**
 * Microsoft's Graph and sign-in hosts, global cloud and national clouds (US Government L4/L5, China operated by
 * 21Vianet): a credential may use these without the operator listing them in DOCBRIDGE_EXTRA_ENDPOINT_HOSTS.
 */
export const officialHosts = [
  'graph.microsoft.com',
  'login.microsoftonline.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'login.microsoftonline.us',
  'microsoftgraph.chinacloudapi.cn',
  'login.chinacloudapi.cn',
] as const;

const httpsUrl = z
  .string()
  .url()
  .refine((url) => url.startsWith('https://'), { message: 'endpoints must be https addresses' })
  .transform((url) => url.replace(/\/+$/, ''));

export const microsoftEndpointsSchema = z.object({ graph: httpsUrl, login: httpsUrl }).partial().default({});

/** A PEM bundle holding the certificate and its private key (what ClientCertificateCredential reads). */
const certificatePem = z
  .string()
  .includes('PRIVATE KEY', { message: 'the certificate must include its private key (PEM)' })
  .includes('BEGIN CERTIFICATE', { message: 'the certificate must be PEM with the certificate itself' });

/** The body of `POST /api/credentials` for Microsoft (app-only: tenant id, client id, secret or certificate). */
export const microsoftCredentialBody = z
  .object({
    tenantId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9.-]{1,100}$/, { message: 'tenantId: a directory id or domain' }),
    clientId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9-]{1,100}$/, { message: 'clientId: the application (client) id' }),
    clientSecret: z.string().min(1).max(1000).optional(),
    certificate: certificatePem.optional(),
    /**
     * The Word add-in's app registration (issue 13): the audience of the Office SSO tokens its task pane sends,
     * and the client id of the on-behalf-of exchange (signed with this credential's secret or certificate).
     */
    addinClientId: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
        message: 'addinClientId: the add-in app registration’s application (client) id, a GUID',
      })
      .transform((id) => id.toLowerCase())
      .optional(),
    endpoints: microsoftEndpointsSchema,
  })
  .refine((body) => !!body.clientSecret !== !!body.certificate, {
    message: 'give exactly one of clientSecret or certificate',
  });

export type MicrosoftCredentialBody = z.infer<typeof microsoftCredentialBody>;

/** What is encrypted at rest: the app's proof of identity. */
export const microsoftSecretSchema = z.union([
  z.object({ kind: z.literal('clientSecret'), clientSecret: z.string().min(1) }),
  z.object({ kind: z.literal('certificate'), certificate: z.string().min(1) }),
]);

export type MicrosoftSecret = z.infer<typeof microsoftSecretSchema>;

/** Everything a connector needs of one stored credential. */
export interface MicrosoftAppCredential {
  tenantId: string;
  clientId: string;
  secret: MicrosoftSecret;
  endpoints: MicrosoftEndpoints;
}
