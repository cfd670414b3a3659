/**
 * The API the Word add-in's app registration exposes (docs/word-addin.md, "Expose an API"), defined once: the
 * manifest's SSO `Resource` is its Application ID URI and the sign-in dialog asks for its scope, so both
 * paths end with the same v2.0 token (`aud` = the client id, `scp` = `access_as_user`).
 */
export const ADDIN_API_SCOPE = 'access_as_user';

/** `api://<host of the server's public URL>/<client id>`: Office requires the add-in's own domain here for SSO. */
export function addinApplicationIdUri(publicUrl: string, clientId: string): string {
  return `api://${new URL(publicUrl).host}/${clientId}`;
}

/** The delegated scope a sign-in asks for: `api://<host>/<client id>/access_as_user`. */
export function addinApiScope(publicUrl: string, clientId: string): string {
  return `${addinApplicationIdUri(publicUrl, clientId)}/${ADDIN_API_SCOPE}`;
}
