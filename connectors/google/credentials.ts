import { z } from 'zod';

/** Google's public endpoints; each credential may point elsewhere (emulators, sovereign endpoints). */
export const defaultEndpoints = {
  docs: 'https://docs.googleapis.com/',
  drive: 'https://www.googleapis.com/',
  token: 'https://oauth2.googleapis.com/token',
};

/**
 * The hosts Google's own endpoints live on (https, port 443): a credential may point anywhere else only
 * where the operator allows it (server/admin/endpointPolicy.ts).
 */
export const officialHosts = [
  'docs.googleapis.com',
  'www.googleapis.com',
  'oauth2.googleapis.com',
  'accounts.google.com',
] as const;

export const endpointsSchema = z
  .object({ docs: z.string().url(), drive: z.string().url(), token: z.string().url() })
  .partial()
  .default({});

/** The JSON key file Google issues for a service account (only the fields used are required). */
export const serviceAccountKeySchema = z.object({
  type: z.literal('service_account'),
  client_email: z.string().email(),
  private_key: z.string().includes('PRIVATE KEY'),
  private_key_id: z.string().optional(),
  token_uri: z.string().url().optional(),
});

/** What a Google credential holds once decrypted: a service account or an OAuth user grant. */
export const googleSecretSchema = z.union([
  z.object({
    kind: z.literal('serviceAccount'),
    key: serviceAccountKeySchema,
    subject: z.string().email().optional(),
  }),
  z.object({
    kind: z.literal('oauth'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
  }),
]);

/** Every URL a Google credential will send its secret or its tokens to, named for error messages. */
export function credentialUrls(
  endpoints: Partial<GoogleEndpoints>,
  secret: GoogleSecret,
): [string, string][] {
  const resolved = { ...defaultEndpoints, ...endpoints };
  const urls: [string, string][] = [
    ['endpoints.docs', resolved.docs],
    ['endpoints.drive', resolved.drive],
    ['endpoints.token', resolved.token],
  ];
  if (secret.kind === 'serviceAccount' && secret.key.token_uri)
    urls.push(['serviceAccountKey.token_uri', secret.key.token_uri]);
  return urls;
}

export type GoogleSecret = z.infer<typeof googleSecretSchema>;
export type GoogleEndpoints = typeof defaultEndpoints;

/**
 * Least-privilege scopes (reference C): `documents` to read and write Docs, `drive.file` for the Drive
 * metadata and change feed of files the app opened. Domain-wide delegation grants exactly these.
 */
export const GOOGLE_SCOPES = [
  'https://www.googleapis.com/auth/documents',
  'https://www.googleapis.com/auth/drive.file',
];
