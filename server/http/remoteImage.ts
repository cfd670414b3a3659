import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/** Why a remote image was not fetched; `status` and `code` are what the proxy answers. */
export class RemoteImageError extends Error {
  constructor(
    readonly status: 400 | 403 | 413 | 415 | 502,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Addresses a document's image URL must never make the server reach. */
const notPublic = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  notPublic.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  notPublic.addSubnet(net, prefix, 'ipv6');

/** True for addresses on the public internet: not loopback, private, link-local (metadata), multicast. */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return !notPublic.check(mapped[1]!, 'ipv4');
  return !notPublic.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Raster types only (SVG can carry script), recognised by their first bytes, not by what the host says. */
const signatures: [string, (b: Uint8Array) => boolean][] = [
  ['image/png', (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ['image/jpeg', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38],
  [
    'image/webp',
    (b) =>
      String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP',
  ],
  ['image/bmp', (b) => b[0] === 0x42 && b[1] === 0x4d],
];

export interface RemoteImageOptions {
  maxBytes: number;
  timeoutMs: number;
  /** Resolves a host to its addresses (the system resolver unless a test says otherwise). */
  resolve?: (host: string) => Promise<string[]>;
  /** Whether the server may connect to `address` (public addresses only unless a test says otherwise). */
  allowed?: (address: string) => boolean;
}

const MAX_REDIRECTS = 3;

/**
 * Fetches the image a document points at, for readers' browsers to load from this server instead of from
 * any host a document names (CSP `img-src 'self' data:`). Only http(s) URLs without credentials; the host must
 * resolve to public addresses only, and the connection goes to the address that was checked (no second DNS
 * answer); redirects are followed at most three times, each checked again; no cookies or credentials are
 * sent; the body is bounded and must be a raster image by its own bytes.
 */
export async function fetchRemoteImage(
  src: string,
  options: RemoteImageOptions,
): Promise<{ type: string; bytes: Uint8Array }> {
  const resolve =
    options.resolve ?? (async (host) => (await lookup(host, { all: true })).map((a) => a.address));
  const allowed = options.allowed ?? isPublicAddress;
  let url = parse(src);
  for (let hop = 0; ; hop++) {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const addresses = isIP(host) ? [host] : await resolve(host).catch(() => []);
    if (addresses.length === 0)
      throw new RemoteImageError(502, 'image-unavailable', `${host} does not resolve`);
    if (!addresses.every(allowed))
      throw new RemoteImageError(403, 'image-host-not-public', `${host} is not a public host`);
    const response = await get(url, addresses[0]!, options.timeoutMs);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location && hop < MAX_REDIRECTS) {
      response.resume();
      url = parse(new URL(response.headers.location, url).toString());
      continue;
    }
    if (status !== 200) {
      response.resume();
      throw new RemoteImageError(502, 'image-unavailable', `the image host answered ${status}`);
    }
    const bytes = await readBounded(response, options.maxBytes);
    const type = signatures.find(([, matches]) => matches(bytes))?.[0];
    if (!type) throw new RemoteImageError(415, 'not-an-image', 'the address does not hold a raster image');
    return { type, bytes };
  }
}

function parse(src: string): URL {
  let url: URL;
  try {
    url = new URL(src);
  } catch {
    throw new RemoteImageError(400, 'image-url-not-allowed', 'not a URL');
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username || url.password)
    throw new RemoteImageError(400, 'image-url-not-allowed', 'only http(s) URLs without credentials');
  return url;
}

function get(url: URL, address: string, timeoutMs: number): Promise<IncomingMessage> {
  const family = isIP(address);
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(
      url,
      {
        headers: { accept: 'image/png,image/jpeg,image/gif,image/webp,image/bmp', 'user-agent': 'Docbridge' },
        timeout: timeoutMs,
        // Connect to the address that was checked, whatever a second DNS answer would say.
        lookup: (_host, opts, callback) =>
          (opts as { all?: boolean }).all
            ? (callback as (e: null, a: { address: string; family: number }[]) => void)(null, [
                { address, family },
              ])
            : (callback as (e: null, a: string, f: number) => void)(null, address, family),
      },
      resolve,
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => reject(new RemoteImageError(502, 'image-unavailable', error.message)));
    request.end();
  });
}

function readBounded(response: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        response.destroy();
        reject(
          new RemoteImageError(413, 'image-too-large', `images above ${maxBytes} bytes are not proxied`),
        );
        return;
      }
      chunks.push(chunk);
    });
    response.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    response.on('error', (error) => reject(new RemoteImageError(502, 'image-unavailable', error.message)));
  });
}
