// What counts as this machine: the loopback addresses (127.0.0.0/8, ::1, and 127.x written as
// an IPv4-mapped IPv6 address) and the name `localhost`. Used to decide where the service may
// listen without authentication, which callers the rate limit leaves alone, and which
// fhirServer origins CDS Hooks fetches without an allowlist.

import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IP address (v4, v6 or IPv4-mapped v6) on the loopback interface; false for names. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const family = isIP(bare);
  // BlockList matches ::ffff:127.0.0.1 against the IPv4 subnet by itself.
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}

/** A loopback address or the name localhost (any case, with or without the root dot). */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || isLoopbackAddress(name);
}
