import type { Credential } from './adminApi.ts';

/** The two kinds of Google credential the admin API accepts, as the server records them in `metadata.kind`. */
export type CredentialKind = 'serviceAccount' | 'oauth';

/** How the form names each kind in its choice. */
export const kindLabels: Record<CredentialKind, string> = {
  serviceAccount: 'Service account (JSON key)',
  oauth: 'OAuth user',
};

/** How the credentials list describes each kind, under the credential's name. */
export const kindDescriptions: Record<CredentialKind, string> = {
  serviceAccount: 'Google service account',
  oauth: 'Google OAuth user',
};

/** The kind of a listed credential; credentials registered before kinds were recorded are service accounts. */
export function credentialKind(credential: Credential): CredentialKind {
  return credential.metadata.kind === 'oauth' ? 'oauth' : 'serviceAccount';
}

/**
 * What to do about a refused verification, in plain words, or null when the provider's reason says enough.
 * The server only passes on OAuth's error code (never its description, which may echo request data), so the
 * page explains the codes an administrator can act on.
 */
export function refusalAdvice(kind: CredentialKind, error: string): string | null {
  if (kind === 'oauth' && error.includes('invalid_grant'))
    return 'Google did not accept the refresh token: it may be mistyped, revoked, expired or issued to another OAuth client. Delete this credential and add it again with a new refresh token.';
  if (kind === 'oauth' && error.includes('invalid_client'))
    return 'Google did not recognise the OAuth client: check the client ID and client secret, then add the credential again.';
  if (kind === 'serviceAccount' && /invalid_(grant|client)/.test(error))
    return 'Google did not accept the key: it may have been deleted or disabled in the Google Cloud console.';
  return null;
}
