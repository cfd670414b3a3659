/**
 * Which addresses are on the public internet. Used wherever a user-supplied URL makes the server open a
 * connection (a document's remote image, a credential's endpoints): loopback, private (RFC 1918, CGNAT, ULA),
 * link-local (cloud metadata), benchmark, multicast and unspecified addresses are not public.
 */
import { BlockList, isIP } from 'node:net';

/** Addresses the server must never be made to reach on someone's behalf. */
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
