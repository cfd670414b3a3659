import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { parseAllowedHosts } from './admin/endpointPolicy.ts';
import { OidcConfigError, type OidcProviderConfig, parseOidcProviders } from './identity/oidcProviders.ts';

/**
 * Server configuration: environment variables, optionally preceded by `docbridge.config.json` (keys are the
 * variable names; the environment wins). Validated once at start so a mistake stops the server with one line
 * naming the variable and what it expects, instead of failing later in some request.
 */
const listOf = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const url = (what: string) => z.string().url({ message: `expected ${what}` });

/**
 * Log entries after which a loaded document's log is folded into its snapshot. Each compaction reads the log,
 * rebuilds the document and rewrites it, whatever the log's length: at 200 that cost about as much CPU as the
 * commits themselves under sustained editing (docs/benchmarks.md, eighth and ninth passes). 500 is what
 * y-indexeddb trims at (`PREFERRED_TRIM_SIZE`); a load then replays about that many entries at most, merged into
 * one update first.
 */
export const DEFAULT_COMPACT_AFTER = 500;

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).optional(),
  DOCBRIDGE_DATA_DIR: z.string().min(1).default('./data'),
  DOCBRIDGE_PUBLIC_URL: url('an http(s) URL such as https://docbridge.example.gov.uk').optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// connection URL' })
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'expected a redis:// or rediss:// URL' })
    .optional(),
  DOCBRIDGE_JWT_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).optional(),
  DOCBRIDGE_JWKS_URL: url('the https URL of a JSON Web Key Set')
    .refine(isSecureOrLoopbackUrl, {
      message: 'expected an https URL (plain http only on a loopback host, for tests)',
    })
    .optional(),
  DOCBRIDGE_JWT_ISSUER: z.string().min(1).optional(),
  DOCBRIDGE_JWT_AUDIENCE: z.string().min(1).optional(),
  DOCBRIDGE_OIDC_PROVIDERS: z.string().optional(),
  DOCBRIDGE_ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform(listOf)
    .pipe(z.array(url('a comma-separated list of origins such as https://portal.example.gov.uk'))),
  DOCBRIDGE_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024, { message: 'expected a byte count of at least 1024' })
    .default(8 * 1024 * 1024),
  // Checked in full (length, base64, ids) by server/admin/masterKey.ts when the server starts.
  DOCBRIDGE_MASTER_KEY: z.string().min(1).optional(),
  DOCBRIDGE_MASTER_KEYS: z.string().min(1).optional(),
  DOCBRIDGE_COMPACT_AFTER: z.coerce.number().int().min(1).default(DEFAULT_COMPACT_AFTER),
  DOCBRIDGE_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024, { message: 'expected a byte count of at least 1024' })
    .default(1024 * 1024),
  DOCBRIDGE_MAX_AWARENESS_BYTES: z.coerce
    .number()
    .int()
    .min(256, { message: 'expected a byte count of at least 256' })
    .default(8 * 1024),
  DOCBRIDGE_MAX_DOCUMENTS_PER_CONNECTION: z.coerce.number().int().min(1).default(100),
  DOCBRIDGE_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).default(50),
  DOCBRIDGE_MAX_NAMED_VERSIONS: z.coerce.number().int().min(1).default(1000),
  DOCBRIDGE_DEMO: z.enum(['on', 'off']).default('on'),
  // SQLite: under load, append commits (each one fsync) start at most this often; edits arriving meanwhile share
  // the next one. An edit after a quiet spell commits at once. 0: a commit per event-loop turn.
  DOCBRIDGE_COMMIT_SPACING_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(1000, { message: 'expected milliseconds, at most 1000' })
    .default(100),
  DOCBRIDGE_CHANGE_FEED_INTERVAL_MS: z.coerce
    .number()
    .int()
    .min(500, { message: 'expected milliseconds, at least 500' })
    .default(30_000),
  // How long a change notification channel is asked for (unset: the provider's default, Graph 3 days, Drive
  // 1 day); a provider grants at most its own maximum. Short values make renewal observable in tests.
  DOCBRIDGE_WATCH_LIFETIME_MS: z.coerce
    .number()
    .int()
    .min(5000, { message: 'expected milliseconds, at least 5000' })
    .optional(),
  DOCBRIDGE_ACTIVE_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(1000, { message: 'expected milliseconds, at least 1000' })
    .default(60_000),
  DOCBRIDGE_EXTRA_ENDPOINT_HOSTS: z
    .string()
    .default('')
    .transform(listOf)
    .transform((entries, ctx) => {
      try {
        return parseAllowedHosts(entries);
      } catch (error) {
        ctx.addIssue({
          code: 'custom',
          message: `expected host or host:port entries: ${(error as Error).message}`,
        });
        return z.NEVER;
      }
    }),
  DOCBRIDGE_CONVERT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100, { message: 'expected milliseconds, at least 100' })
    .default(30_000),
  DOCBRIDGE_CONVERT_MEMORY_MB: z.coerce
    .number()
    .int()
    .min(32, { message: 'expected MiB, at least 32' })
    .default(1024),
  /** Test builds only: fault hooks the integration tests drive (see server/startServer.ts). */
  DOCBRIDGE_TEST_FAULTS: z.enum(['withhold-fanout']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof schema>;

/** The validated configuration the server runs with. */
export interface Config extends RawConfig {
  host: string;
  dataDir: string;
  /** True when no JWT or OpenID settings were given: a generated secret, loopback only, a printed sign-in link. */
  localMode: boolean;
  /** The OpenID Providers users sign in with (DOCBRIDGE_OIDC_PROVIDERS), each mapped to one tenant. */
  oidcProviders: OidcProviderConfig[];
  /**
   * Whether browser pages on localhost/127.0.0.1 may connect: only a server that is itself local (local mode,
   * or bound to a loopback address as in tests). A public server never trusts `localhost` origins, which any
   * program on a user's machine can serve.
   */
  loopbackOrigins: boolean;
}

/** A configuration mistake, reported as one line naming the variable. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

/** Reads and validates the configuration from `env` and an optional JSON file in `cwd`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const file = resolve(cwd, env.DOCBRIDGE_CONFIG ?? 'docbridge.config.json');
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      fromFile = z.record(z.string(), z.unknown()).parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      throw new ConfigError(`${file}: expected a JSON object of variable names to values`);
    }
  }
  const merged = { ...stringify(fromFile), ...definedOnly(env) };
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'configuration');
    throw new ConfigError(`${name}: ${issue.message}`);
  }
  const raw = parsed.data;
  let oidcProviders: OidcProviderConfig[];
  try {
    oidcProviders = parseOidcProviders(raw.DOCBRIDGE_OIDC_PROVIDERS);
  } catch (error) {
    if (error instanceof OidcConfigError) throw new ConfigError(`DOCBRIDGE_OIDC_PROVIDERS: ${error.message}`);
    throw error;
  }
  const localMode = !raw.DOCBRIDGE_JWT_SECRET && !raw.DOCBRIDGE_JWKS_URL && oidcProviders.length === 0;
  if (raw.DOCBRIDGE_JWKS_URL && (!raw.DOCBRIDGE_JWT_ISSUER || !raw.DOCBRIDGE_JWT_AUDIENCE)) {
    throw new ConfigError(
      'DOCBRIDGE_JWT_ISSUER: expected an issuer (and DOCBRIDGE_JWT_AUDIENCE an audience) whenever DOCBRIDGE_JWKS_URL is set',
    );
  }
  const host = raw.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0');
  if (localMode && !isLoopback(host)) {
    throw new ConfigError(
      `HOST: expected a loopback address (127.0.0.1, ::1 or localhost) while no DOCBRIDGE_JWT_SECRET or DOCBRIDGE_JWKS_URL is set; got ${host}`,
    );
  }
  const loopbackOrigins = localMode || isLoopback(host);
  const local = raw.DOCBRIDGE_ALLOWED_ORIGINS.find((origin) => isLoopback(new URL(origin).hostname));
  if (local && !loopbackOrigins) {
    throw new ConfigError(
      `DOCBRIDGE_ALLOWED_ORIGINS: ${local} is a localhost origin, allowed only when the server itself is local (local mode or a loopback HOST)`,
    );
  }
  if (!localMode && !raw.DOCBRIDGE_MASTER_KEY && !raw.DOCBRIDGE_MASTER_KEYS) {
    throw new ConfigError(
      'DOCBRIDGE_MASTER_KEY: expected a key (32 bytes, base64; e.g. `openssl rand -base64 32`) or DOCBRIDGE_MASTER_KEYS: outside local mode connector secrets are never sealed with a key file beside the data',
    );
  }
  return {
    ...raw,
    host,
    dataDir: resolve(cwd, raw.DOCBRIDGE_DATA_DIR),
    localMode,
    loopbackOrigins,
    oidcProviders,
  };
}

/** True for https URLs, and for http URLs on a loopback host (test identity providers). */
function isSecureOrLoopbackUrl(value: string): boolean {
  const parsed = new URL(value);
  return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && isLoopback(parsed.hostname));
}

/** True for names and addresses of this machine (`localhost`, `*.localhost`, 127/8, ::1). */
export function isLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    host === '[::1]' ||
    /^127\.\d+\.\d+\.\d+$/.test(host)
  );
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''),
  );
}

function stringify(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, fileValue(v)]));
}

/** A config-file value as the variable's text: lists of strings comma-joined, other JSON (providers) as JSON. */
function fileValue(value: unknown): string {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}
