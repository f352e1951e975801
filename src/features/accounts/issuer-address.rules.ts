import { BlockList, isIP } from 'node:net';

/**
 * Addresses an identity provider's issuer may not resolve to unless the operator allows it
 * (`HAVEN_SSO_PRIVATE_ISSUERS=true`, for a provider inside the district's own network): this
 * machine, private and carrier networks, link-local (where clouds serve their instance metadata
 * and credentials), multicast and unspecified. Without this, an administrator's "test this
 * connection" would make the server fetch from places only it can reach (server-side request
 * forgery) and report what answered.
 */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  internal.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  internal.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is one of those (an IPv4 address mapped into IPv6 is judged as IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return internal.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true; // not an address at all: never trusted
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * A plain sentence when any address the issuer's host resolves to is internal, or null. A host
 * that does not resolve (no network yet, a name still being set up) is no risk: nothing can be
 * reached there, and testing the connection says it could not be read.
 */
export function issuerAddressProblem(host: string, addresses: readonly string[]): string | null {
  const inside = addresses.find(isInternalAddress);
  if (!inside) return null;
  return `${host} is on a private or local network (${inside}). Haven reaches identity providers on the internet only; if your provider runs inside your own network, your Haven operator can allow it with HAVEN_SSO_PRIVATE_ISSUERS=true.`;
}
