/**
 * How the admin commands (`credentials`, `link`, `links`, `unlink`, `resync`) reach a running server: the
 * options they share (`--server`, `--json`), the admin token from `DOCBRIDGE_TOKEN`, and one request
 * function that turns every failure into an `AdminCliError` carrying the API's own error code and message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { z } from 'zod';
import { suites } from '../../connectors/suites.ts';
import { localUser, mintToken } from '../../server/auth/localSignIn.ts';
import { type CliIo, UsageError } from './io.ts';

/** Where the server is when neither `--server` nor `DOCBRIDGE_URL` says. */
export const DEFAULT_SERVER = 'http://localhost:8080';

/** Help lines every admin command shares. */
export const adminUsageNotes = `  --server URL   the Docbridge server (default: DOCBRIDGE_URL, else ${DEFAULT_SERVER})
  --json         print the API's JSON answer instead of text
  The admin token (a JWT with admin: true for your tenant) is read from DOCBRIDGE_TOKEN only; for a
  local-mode server on this machine it is minted from its data directory (DOCBRIDGE_DATA_DIR, default ./data).`;

/** `parseArgs` options every admin command accepts. */
export const adminOptions = {
  server: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/**
 * A failed admin command: `code` is the API's error code (`credential-not-found`, `token-expired`...) or a
 * local one (`TOKEN_MISSING`, `SERVER_UNREACHABLE`, `KEY_FILE_INVALID`); the entry point prints
 * `error <code>: <message>` and exits 1. Messages never hold the token or a secret.
 */
export class AdminCliError extends Error {
  override readonly name = 'AdminCliError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** What the API says about common refusals that come without a message of their own. */
const hints: Record<string, string> = {
  'token-missing': 'the server got no token: set DOCBRIDGE_TOKEN',
  'token-malformed': 'DOCBRIDGE_TOKEN is not a JWT',
  'token-expired': 'DOCBRIDGE_TOKEN has expired: get a new admin token',
  'token-not-yet-valid': 'DOCBRIDGE_TOKEN is not valid yet (check the clocks)',
  'bad-signature': 'the server does not trust the signature of DOCBRIDGE_TOKEN',
  'algorithm-not-allowed': 'the server does not accept the algorithm of DOCBRIDGE_TOKEN',
  'wrong-issuer': 'DOCBRIDGE_TOKEN has the wrong issuer (iss) for this server',
  'wrong-audience': 'DOCBRIDGE_TOKEN has the wrong audience (aud) for this server',
  'invalid-claims': 'DOCBRIDGE_TOKEN lacks the claims the server needs (sub, tenant, docs)',
  'admin-required': 'DOCBRIDGE_TOKEN is not an administrator of its tenant (admin: true)',
  'origin-not-allowed': 'the server refused the request origin',
  'credential-not-found': 'no such credential in your tenant',
  'link-not-found': 'no such link in your tenant',
  'document-not-in-tenant': 'the document is not named <your tenant>/<id>',
  ...Object.fromEntries(
    suites.map((suite) => [suite.url.invalidError, `not a ${suite.label} URL or file id`]),
  ),
  'not-found': 'this server has no such API: is it a Docbridge server of this version?',
};

/** Refuses a token on the command line, where it would land in shell history and process lists. */
export function refuseTokenArgument(args: string[]): void {
  if (args.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    throw new UsageError(
      'the token is never taken from the command line (it would show in shell history and process lists): ' +
        'set DOCBRIDGE_TOKEN instead',
    );
  }
}

/** The admin API as one server and one token. */
export interface AdminClient {
  server: string;
  /** Sends one request and returns the answer checked against `schema`; throws AdminCliError otherwise. */
  request<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown): Promise<T>;
}

/** The server URL from `--server`, else `DOCBRIDGE_URL`, else the default; throws UsageError when malformed. */
export function serverUrl(flag: string | undefined, io: CliIo): string {
  const env = io.env ?? process.env;
  const raw = flag ?? (env.DOCBRIDGE_URL || DEFAULT_SERVER);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`not a server URL: ${raw}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(`the server URL must be http or https: ${raw}`);
  return url.href.replace(/\/+$/, '');
}

/**
 * The token of a local-mode server on this machine: minted, short-lived, from the secret in its data directory
 * (`DOCBRIDGE_DATA_DIR`, default ./data), which only someone who may read that directory can do. Null when
 * the server is not on loopback or no local secret is there.
 */
async function localAdminToken(env: NodeJS.ProcessEnv, server: string): Promise<string | null> {
  const host = new URL(server).hostname;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(host)) return null;
  const file = join(resolve(env.DOCBRIDGE_DATA_DIR || './data'), 'local-secret');
  if (!existsSync(file)) return null;
  return mintToken(readFileSync(file, 'utf8').trim(), localUser, 300);
}

/**
 * An admin client for `--server` and `DOCBRIDGE_TOKEN` (or, for a local-mode server on this machine, a token
 * minted from its data directory); throws AdminCliError when there is neither.
 */
export function adminClient(flag: string | undefined, io: CliIo): AdminClient {
  const server = serverUrl(flag, io);
  const env = io.env ?? process.env;
  const given = env.DOCBRIDGE_TOKEN?.trim();
  const tokenReady = given ? Promise.resolve(given) : localAdminToken(env, server);
  const missing = () =>
    new AdminCliError(
      'TOKEN_MISSING',
      'set DOCBRIDGE_TOKEN to an admin token of your tenant (it is never taken from the command line)',
    );
  const send = io.fetch ?? fetch;
  return {
    server,
    async request(method, path, schema, body) {
      const token = await tokenReady;
      if (!token) throw missing();
      let response: Response;
      try {
        response = await send(`${server}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (error) {
        throw new AdminCliError('SERVER_UNREACHABLE', `cannot reach ${server} (${networkReason(error)})`);
      }
      const text = await response.text();
      const json = parseJson(text);
      if (!response.ok) throw apiError(response.status, json);
      const parsed = schema.safeParse(json);
      if (!parsed.success)
        throw new AdminCliError(
          'UNEXPECTED_RESPONSE',
          `${method} ${path} answered ${response.status} with an unexpected body`,
          response.status,
        );
      return parsed.data;
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function apiError(status: number, json: unknown): AdminCliError {
  const body = (typeof json === 'object' && json !== null ? json : {}) as Record<string, unknown>;
  const code = typeof body.error === 'string' ? body.error : `http-${status}`;
  const message =
    typeof body.message === 'string' && body.message !== ''
      ? body.message
      : (hints[code] ?? 'the server refused the request');
  return new AdminCliError(code, `${message} (HTTP ${status})`, status);
}

/** The system error code of a failed fetch (ECONNREFUSED, ENOTFOUND...), never a URL with credentials. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
