import * as z from 'zod/mini';

const configSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  tenantId: z.string().check(z.minLength(1)),
  authority: z.string().check(z.url()),
  scope: z.string().check(z.minLength(1)),
});

/**
 * The add-in registration the sign-in dialog signs in to, as `GET /api/word-addin/sign-in-config` answers it
 * (docs/word-addin-session.md): public client id, tenant, authority (`{login host}/{tenant}`) and the scope
 * Office SSO's token carries too.
 */
export type SignInConfig = z.infer<typeof configSchema>;

/**
 * Asks the server for the sign-in settings of the add-in registration `clientId` (from the manifest's pane
 * URL; null lets the server answer its only one). Null when the server has none to offer or cannot be reached:
 * then there is no dialog to open.
 */
export async function fetchSignInConfig(clientId: string | null): Promise<SignInConfig | null> {
  const query = clientId ? `?${new URLSearchParams({ clientId })}` : '';
  try {
    const response = await fetch(`/api/word-addin/sign-in-config${query}`, {
      credentials: 'omit',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return null;
    const parsed = configSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The client id the pane was opened with (`taskpane.html?clientId=…`, from the manifest), if any. */
export function clientIdOf(location: Location): string | null {
  return new URLSearchParams(location.search).get('clientId');
}
