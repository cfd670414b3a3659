import type { Credential } from './adminApi.ts';

/** The two kinds of Google credential the admin API accepts, as the server records them in `metadata.kind`. */
export type CredentialKind = 'serviceAccount' | 'oauth';

/** How the form names each kind in its choice. */
export const kindLabels: Record<CredentialKind, string> = {
  serviceAccount: 'Service account (JSON key)',
  oauth: 'OAuth user',
};

/** Every kind the credentials list shows: Google's two, and a Microsoft Entra app with a secret or a certificate. */
export type ListedKind = CredentialKind | 'microsoftSecret' | 'microsoftCertificate';

/** How the credentials list describes each kind, under the credential's name. */
export const kindDescriptions: Record<ListedKind, string> = {
  serviceAccount: 'Google service account',
  oauth: 'Google OAuth user',
  microsoftSecret: 'Microsoft Entra app (client secret)',
  microsoftCertificate: 'Microsoft Entra app (certificate)',
};

/** The kind of a listed credential; Google credentials registered before kinds were recorded are service accounts. */
export function credentialKind(credential: Credential): ListedKind {
  if (credential.provider === 'microsoft') {
    return credential.metadata.kind === 'certificate' ? 'microsoftCertificate' : 'microsoftSecret';
  }
  return credential.metadata.kind === 'oauth' ? 'oauth' : 'serviceAccount';
}

/** Who a listed credential acts as, for the list: the service account, the granting user, or the Entra app. */
export function credentialAccount(credential: Credential): string {
  const { metadata } = credential;
  if (credential.provider === 'microsoft')
    return `App ${String(metadata.clientId ?? '')} in tenant ${String(metadata.tenantId ?? '')}`;
  if (metadata.kind === 'oauth') return 'The user who granted access';
  return typeof metadata.clientEmail === 'string' ? metadata.clientEmail : '';
}

/**
 * What to do about a refused verification, in plain words, or null when the provider's reason says enough.
 * The server only passes on OAuth's error code (never its description, which may echo request data), so the
 * page explains the codes an administrator can act on.
 */
export function refusalAdvice(kind: ListedKind, error: string): string | null {
  if (kind === 'oauth' && error.includes('invalid_grant'))
    return 'Google did not accept the refresh token: it may be mistyped, revoked, expired or issued to another OAuth client. Delete this credential and add it again with a new refresh token.';
  if (kind === 'oauth' && error.includes('invalid_client'))
    return 'Google did not recognise the OAuth client: check the client ID and client secret, then add the credential again.';
  if (
    (kind === 'microsoftSecret' || kind === 'microsoftCertificate') &&
    error.includes('refused the app credential')
  )
    return 'Microsoft Entra did not accept the app: check the tenant ID, the client ID and that the secret or certificate is current (secrets expire), then add the credential again.';
  if (kind === 'serviceAccount' && /invalid_(grant|client)/.test(error))
    return 'Google did not accept the key: it may have been deleted or disabled in the Google Cloud console.';
  return null;
}
