import type { z } from 'zod';
import type { Connector } from './connector.ts';
import type { LimiterFactory } from './rateLimiter.ts';

/** A credential as a suite receives it: the decrypted secret (JSON text) and its public metadata. */
export interface SuiteCredential {
  secret: string;
  metadata: Record<string, unknown>;
}

/**
 * Bad input for a credential on the admin's side (an unreadable or malformed key file): a stable `code` and a
 * message that says what is wrong, never what the input holds.
 */
export class CredentialInputError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The CLI side of a suite: how `docbridge credentials add <provider>` reads its options. */
export interface SuiteCli {
  /** Options besides `--name` and the admin options (node:util `parseArgs`, all strings). */
  options: Record<string, { type: 'string' }>;
  /** The option lines of the usage text. */
  usage: string;
  /**
   * The `POST /api/credentials` body (without `provider` and `name`) and a default name, read from the options
   * (local files included). Throws CredentialInputError.
   */
  body(values: Record<string, string | undefined>): Promise<{ body: Record<string, unknown>; name: string }>;
}

/** One input of a suite's credential, as `GET /api/suites` describes it to the admin page's form. */
export interface CredentialField {
  /** The body property (dots for nesting: `oauth.clientId`). */
  name: string;
  label: string;
  /**
   * What the form shows: `secret` a password input the browser neither fills nor remembers, `json-file` and
   * `pem-file` a file read in the browser (parsed JSON, or PEM text) and sent once; secrets are never shown back.
   */
  kind: 'text' | 'email' | 'secret' | 'json-file' | 'pem-file' | 'url';
  /** Required unless set; a field of a `choice` option is required only when that option is chosen. */
  optional?: boolean;
  hint?: string;
  /** The `credential.choice` option this field belongs to: shown and sent only while it is chosen. */
  option?: string;
  /** Rarely needed (delegation, a private cloud's or an emulator's endpoints): in the form's advanced settings. */
  advanced?: boolean;
}

/** Ways a credential can prove itself, exactly one of which is given (a key file or an OAuth grant). */
export interface CredentialChoice {
  legend: string;
  options: { value: string; label: string; hint?: string }[];
}

/** How the credentials list describes one stored credential, from its public metadata. */
export interface CredentialSummary {
  /** Which kind it is (`Google service account`). */
  kind: string;
  /** Who it acts as (the service account's address, the Entra app). */
  account: string;
  /** The user it impersonates, when it does (domain-wide delegation). */
  actingAs?: string;
}

/**
 * A suite's client-side budget per credential, below the remote's published per-user limits; every link of
 * the credential shares it.
 */
export interface SuiteQuota {
  readsPerSecond: number;
  readBurst: number;
  writesPerSecond: number;
  writeBurst: number;
}

/**
 * What a webhook handler may do with a notification: `notified` checks it names one of this server's open
 * channels with its secret token (constant-time) and, with `poll`, reads that credential's change feed now;
 * with `renew`, the channel is renewed at once (Graph's `reauthorizationRequired`, `subscriptionRemoved`).
 */
export interface WebhookChannels {
  notified(channelId: string, token: string, options: { poll: boolean; renew?: boolean }): boolean;
}

/**
 * One office suite, as the platform sees it (DESIGN section 3, "suites plug in"): everything the server, the
 * CLI and the admin pages need, with no heavy code loaded until `create` or `verify` runs (they import the
 * connector dynamically). Adding a suite is its folder with a `suite.ts` plus one line in `connectors/suites.ts`.
 */
export interface Suite<Body = unknown> {
  /** The stable id stored with credentials and links. */
  readonly provider: string;
  /** The suite's name as people read it (`Google Docs`). */
  readonly label: string;
  /**
   * The suite's own live client, by the name users know it ("Word" for the add-in): while one holds a
   * document, its links upload nothing and say "live in <name>".
   */
  readonly liveClient?: string;
  readonly credential: {
    /** Whose credentials they are, as people say it (`Google`): "2 Google credentials". */
    owner: string;
    /** The CLI command that adds one, for hints. */
    addCommand: string;
    /** The body of `POST /api/credentials` besides `provider` and `name`. */
    schema: z.ZodType<Body>;
    /** The same inputs described for forms and `GET /api/suites`. */
    fields: CredentialField[];
    /** The alternatives the form offers as a radio group, first one chosen; `fields` name them by `option`. */
    choice?: CredentialChoice;
    /** What the form's advanced settings are for, shown above them. */
    advancedHint?: string;
    /** What the credentials list says about a stored credential (never anything secret: metadata only). */
    summary(metadata: Record<string, unknown>): CredentialSummary;
    /**
     * What an administrator can do about a refused verification, in plain words, or null when the remote's
     * reason says enough (the server keeps only OAuth's error code, never its description).
     */
    advice(metadata: Record<string, unknown>, error: string): string | null;
    /** What is encrypted (`secret`) and what is shown to admins in clear (`metadata`, never a secret). */
    store(body: Body): { secret: unknown; metadata: Record<string, unknown> };
  };
  /** How remote files are named: a pasted address or a bare id. */
  readonly url: {
    /** What one remote file is called (`Google Doc`), for forms and messages. */
    noun: string;
    /** An example address, for hints. */
    example: string;
    /** A regular expression (source) browsers use to recognise the suite's addresses before asking. */
    pattern: string;
    /** The error code of `POST /api/links` when the address is not one of the suite's. */
    invalidError: string;
  };
  /** The remote id in an address or bare id, parsed and never fetched; null when it is not the suite's. */
  parseUrl(input: string): string | null;
  /** The address people open the remote file at. */
  browserUrl(remoteId: string): string;
  readonly quota: SuiteQuota;
  /**
   * The hosts (https, port 443) a credential of this suite may call without the operator listing them in
   * `DOCBRIDGE_EXTRA_ENDPOINT_HOSTS` (server/admin/endpointPolicy.ts).
   */
  readonly officialHosts: readonly string[];
  /** Every URL a credential will send its secret or its tokens to, named for error messages. */
  endpointUrls(credential: SuiteCredential): [string, string][];
  /**
   * Loads the heavy part (connector, API client, converters) ahead of its first use, so an admin's first
   * verify or link request does not wait for it; the server calls it in the background on the first admin API request.
   */
  preload(): Promise<void>;
  /**
   * The connector for one credential (shared by every link of it); its rate limiters come from `limiters`
   * (shared between instances when several run links of the credential).
   */
  create(credential: SuiteCredential, limiters?: LimiterFactory): Promise<Connector>;
  /** Proves the credential works (a token request); throws with the remote's reason otherwise. */
  verify(credential: SuiteCredential): Promise<void>;
  /** How the CLI registers a credential of this suite. */
  readonly cli: SuiteCli;
  /** The suite's change notification receiver, when it has one, mounted at `path` (`/hooks/<provider>`). */
  readonly webhook?: {
    path: string;
    handler(request: Request, channels: WebhookChannels): Promise<Response>;
  };
}
