// Which fhirServer origins CDS Hooks may fetch from, and which addresses it may connect to
// (no server-side request forgery). The caller names fhirServer, so:
// - an origin listed exactly in CDS_FHIR_ALLOWLIST is fetched, wherever it points: the
//   operator named it;
// - without CDS_FHIR_ALLOWLIST, only loopback origins (127.0.0.0/8, [::1], localhost): the
//   local quick start's FHIR server;
// - with `*` in CDS_FHIR_ALLOWLIST, any origin, except link-local and cloud metadata
//   addresses and names, which are fetched only when listed exactly;
// - anything else is refused before any traffic.
// A host name is resolved once per connection, every address it resolves to is checked, and
// the connection goes to those checked addresses (the lookup below is the socket's own), so a
// name cannot pass the check with one address and connect to another (DNS rebinding).

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { isLoopbackAddress, isLoopbackHost } from '../http/loopback.js';

/** Resolves a host name to every address (dns.lookup with all: true); tests inject their own. */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export const systemLookup: HostLookup = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => (error ? reject(error) : resolve(addresses)));
  });

const LINK_LOCAL_OR_METADATA = new BlockList();
LINK_LOCAL_OR_METADATA.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local; AWS, GCP, Azure, OCI metadata at .169.254
LINK_LOCAL_OR_METADATA.addSubnet('fe80::', 10, 'ipv6'); // link-local
LINK_LOCAL_OR_METADATA.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
LINK_LOCAL_OR_METADATA.addAddress('fd00:ec2::254', 'ipv6'); // AWS metadata over IPv6
LINK_LOCAL_OR_METADATA.addAddress('168.63.129.16', 'ipv4'); // Azure platform endpoint

const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

/** A link-local or cloud metadata address (IPv4-mapped IPv6 included); false for names. */
export function isLinkLocalOrMetadata(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && LINK_LOCAL_OR_METADATA.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** How an origin may be used: which addresses its connections may reach. */
export type OriginRule = 'listed' | 'loopback' | 'any-but-metadata';

/** The host as an address or a lower-case name: no IPv6 brackets, no root dot. */
function bareHost(url: URL): string {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return host.toLowerCase().replace(/\.$/, '');
}

/** The rule for fhirServer's origin, or undefined when it may not be fetched at all. */
export function originRule(url: URL, allowlist: readonly string[] | undefined): OriginRule | undefined {
  if (allowlist?.includes(url.origin)) return 'listed';
  const host = bareHost(url);
  if (allowlist === undefined) return isLoopbackHost(host) ? 'loopback' : undefined;
  if (!allowlist.includes('*')) return undefined;
  return METADATA_NAMES.has(host) || isLinkLocalOrMetadata(host) ? undefined : 'any-but-metadata';
}

export function addressAllowed(rule: OriginRule, address: string): boolean {
  if (rule === 'listed') return true;
  if (rule === 'loopback') return isLoopbackAddress(address);
  return !isLinkLocalOrMetadata(address);
}

/** A resolved address the origin's rule does not allow: nothing was sent. */
export class AddressRefusedError extends Error {
  constructor() {
    super('address not allowed for this origin');
    this.name = 'AddressRefusedError';
  }
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A socket lookup (net.connect's `lookup` option) that resolves with `resolve`, refuses unless
 * every address is allowed by `rule`, and hands the socket exactly the checked addresses.
 */
export function checkedLookup(rule: OriginRule, resolve: HostLookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname).then(
      (all) => {
        if (all.length === 0 || !all.every((a) => addressAllowed(rule, a.address))) return callback(new AddressRefusedError(), []);
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = family === undefined ? all : all.filter((a) => a.family === family);
        if (usable.length === 0) return callback(Object.assign(new Error(`no IPv${family} address`), { code: 'ENOTFOUND' }), []);
        if (options.all === true) return callback(null, usable);
        callback(null, usable[0]!.address, usable[0]!.family);
      },
      (error: Error) => callback(error, []),
    );
  };
}
