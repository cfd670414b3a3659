import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

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

/** Addresses no credential may reach by way of a DNS name: loopback, private, link-local, unspecified. */
const internal = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  internal.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  internal.addSubnet(net, prefix, 'ipv6');

/** True for loopback, private (RFC 1918, ULA, CGNAT), link-local (cloud metadata) and unspecified addresses. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1]!, 'ipv4');
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
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
