import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Suite, SuiteCredential } from '../../connectors/sync/suite.ts';
import { isPublicAddress } from '../publicAddress.ts';

/**
 * Where a credential may send its secret. A tenant admin types the endpoints of a credential (token URL, API
 * roots, a service-account key's `token_uri`); the server then POSTs the secret there and reads the answer.
 * Left open, that lets an admin aim the server at loopback services or cloud metadata and read what comes
 * back, or hand a secret to any host. So every endpoint must be on the suite's official hosts (https, default
 * port) or on a host the operator listed in `DOCBRIDGE_EXTRA_ENDPOINT_HOSTS` (sovereign clouds, private
 * gateways, emulators in tests). A listed *name* must not resolve to a loopback, private or link-local
 * address unless that address itself is listed: naming `127.0.0.1:9000` is an explicit choice, a DNS name
 * that happens to point inside is not.
 *
 * Kept standalone and data-driven (the suite's official hosts are an argument) so any suite descriptor can
 * call it when a credential is created or loaded.
 */

/** One entry of `DOCBRIDGE_EXTRA_ENDPOINT_HOSTS`: a host (any port) or a host with one port. */
export interface AllowedHost {
  host: string;
  port: number | null;
}

/** Why an endpoint was refused; the API answers `400 endpoint-not-allowed` with `message`. */
export class EndpointNotAllowedError extends Error {
  readonly code = 'ENDPOINT_NOT_ALLOWED';
}

/** Resolves a host name to its addresses (injectable for tests; defaults to the system resolver). */
export type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** True for any address that is not public (server/publicAddress.ts): loopback, private, link-local... */
export function isInternalAddress(address: string): boolean {
  return isIP(address) !== 0 && !isPublicAddress(address);
}

/** Parses `DOCBRIDGE_EXTRA_ENDPOINT_HOSTS` entries (`host`, `host:port`, `[v6]:port`); throws on a bad one. */
export function parseAllowedHosts(entries: string[]): AllowedHost[] {
  return entries.map((entry) => {
    let url: URL;
    try {
      url = new URL(`http://${entry}`);
    } catch {
      throw new Error(`"${entry}" is not a host or host:port`);
    }
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash)
      throw new Error(`"${entry}" is not a host or host:port`);
    // new URL drops an explicit :80 for http; keep the port the operator wrote.
    const port = /:(\d+)$/.exec(entry)?.[1];
    return { host: bare(url.hostname), port: port ? Number(port) : null };
  });
}

/** The rules for one suite: its official hosts and the operator's extra hosts. */
export interface EndpointPolicy {
  /** Refuses (EndpointNotAllowedError) unless `url` may receive this suite's credentials. */
  check(url: string, what: string): Promise<void>;
}

/** Builds the policy of a suite whose official endpoints live on `officialHosts` (https only). */
export function endpointPolicy(
  officialHosts: readonly string[],
  extra: readonly AllowedHost[],
  resolve: Resolve = systemResolve,
): EndpointPolicy {
  const listed = (host: string, port: number) =>
    extra.some((entry) => entry.host === host && (entry.port === null || entry.port === port));
  return {
    async check(raw, what) {
      const refuse = (why: string): never => {
        throw new EndpointNotAllowedError(`${what}: ${why}`);
      };
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        return refuse('not a URL');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') refuse('only http(s) URLs are allowed');
      if (url.username || url.password) refuse('credentials in the URL are not allowed');
      const host = bare(url.hostname);
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      if (url.protocol === 'https:' && port === 443 && officialHosts.includes(host)) return;
      if (!listed(host, port))
        refuse(`${host} is not one of the suite's hosts nor listed in DOCBRIDGE_EXTRA_ENDPOINT_HOSTS`);
      if (isIP(host)) return;
      let addresses: string[];
      try {
        addresses = await resolve(host);
      } catch {
        return refuse(`${host} does not resolve`);
      }
      for (const address of addresses) {
        if (isInternalAddress(address) && !listed(bare(address), port))
          refuse(`${host} resolves to an internal address; list that address itself to allow it`);
      }
    },
  };
}

/** Host names compare lowercased, IPv6 literals without brackets. */
function bare(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/** The endpoint policy of each suite (its official hosts plus the operator's extra hosts), made once each. */
export type SuiteEndpointPolicies = (suite: Suite) => EndpointPolicy;

/** Policies for every suite under one list of extra hosts (`DOCBRIDGE_EXTRA_ENDPOINT_HOSTS`). */
export function suiteEndpointPolicies(extra: readonly AllowedHost[]): SuiteEndpointPolicies {
  const made = new Map<string, EndpointPolicy>();
  return (suite) => {
    let policy = made.get(suite.provider);
    if (!policy) {
      policy = endpointPolicy(suite.officialHosts, extra);
      made.set(suite.provider, policy);
    }
    return policy;
  };
}

/** Refuses (EndpointNotAllowedError) unless every URL a credential of `suite` would call is allowed. */
export async function checkCredentialEndpoints(
  policies: SuiteEndpointPolicies,
  suite: Suite,
  credential: SuiteCredential,
): Promise<void> {
  const policy = policies(suite);
  for (const [what, url] of suite.endpointUrls(credential)) await policy.check(url, what);
}
