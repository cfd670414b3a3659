import { z } from 'zod';
import { tenantPattern as slug } from '../auth/claims.ts';

const providerSchema = z
  .object({
    id: z.string().regex(slug, 'id must be a lowercase slug (a-z, 0-9, -), used in /auth/<id>/callback'),
    tenant: z.string().regex(slug, 'tenant must be a lowercase slug'),
    label: z.string().trim().min(1, 'label must name the provider, e.g. "Department A (Entra ID)"').max(80),
    issuer: z
      .string()
      .url('issuer must be the https URL of the OpenID Provider')
      .refine(
        (issuer) =>
          issuer.startsWith('https://') || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(issuer),
        'issuer must use https (plain http only on loopback, for development)',
      ),
    clientId: z.string().min(1, 'clientId is required'),
    clientSecret: z.string().min(1).optional(),
    privateKeyJwk: z
      .object({ kty: z.enum(['RSA', 'EC']), d: z.string().min(1) })
      .passthrough()
      .optional(),
    scopes: z.array(z.string().regex(/^\S+$/, 'scopes must be single words such as "email"')).optional(),
    allowedEmailDomains: z
      .array(z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'allowedEmailDomains must be lowercase domains'))
      .min(1)
      .optional(),
    adminClaim: z
      .object({
        claim: z.string().min(1),
        value: z.custom<string | number | boolean>(
          (v) => ['string', 'number', 'boolean'].includes(typeof v),
          'expected the claim value (a string, number or boolean) that makes an admin',
        ),
      })
      .optional(),
  })
  .strict()
  .refine((p) => !(p.clientSecret && p.privateKeyJwk), 'give either clientSecret or privateKeyJwk, not both');

/** One configured OpenID Provider: it signs users of exactly one tenant in. */
export type OidcProviderConfig = z.infer<typeof providerSchema>;

/** A mistake in DOCBRIDGE_OIDC_PROVIDERS, as one line naming the provider and the field. */
export class OidcConfigError extends Error {
  readonly code = 'OIDC_CONFIG_INVALID';
}

/**
 * Parses `DOCBRIDGE_OIDC_PROVIDERS` (a JSON array) into provider settings, or throws OidcConfigError with one
 * line saying which entry and which field is wrong. Ids must be unique (they name the callback path).
 */
export function parseOidcProviders(text: string | undefined): OidcProviderConfig[] {
  if (text === undefined || text.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new OidcConfigError(
      'expected a JSON array of providers ({ id, tenant, label, issuer, clientId, ... })',
    );
  }
  if (!Array.isArray(json))
    throw new OidcConfigError('expected a JSON array of providers, not a single value');
  const seen = new Set<string>();
  return json.map((entry, index) => {
    const parsed = providerSchema.safeParse(entry);
    const name = describe(entry, index);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length ? `${issue.path.join('.')}: ` : '';
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown field ${issue.keys.join(', ')}`
          : issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
            ? 'is required'
            : issue.message;
      throw new OidcConfigError(`${name}: ${field}${message}`);
    }
    if (seen.has(parsed.data.id)) throw new OidcConfigError(`${name}: id is used by another provider`);
    seen.add(parsed.data.id);
    return parsed.data;
  });
}

function describe(entry: unknown, index: number): string {
  const id = (entry as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id ? `provider "${id}"` : `provider #${index + 1}`;
}
