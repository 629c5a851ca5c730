// Which fhirServer origins and addresses CDS Hooks may reach (issue 14 §3): decisions only,
// no traffic. The HTTP path (refusals answered 412, the checked address connected to) is in
// service.test.ts.

import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { AddressRefusedError, addressAllowed, checkedLookup, originRule, type HostLookup } from '../../src/cds-hooks/fhir-origin.js';

const rule = (url: string, allowlist?: string[]) => originRule(new URL(url), allowlist);

const METADATA = [
  'http://169.254.169.254',
  'http://169.254.0.1:8080',
  'http://[fe80::1]',
  'http://[fd00:ec2::254]',
  'http://100.100.100.200',
  'http://[::ffff:169.254.169.254]',
  'http://2852039166', // 169.254.169.254 as one number
  'http://metadata.google.internal',
  'http://METADATA.google.internal.',
  'http://metadata',
  'http://instance-data',
];

describe('originRule', () => {
  it('without CDS_FHIR_ALLOWLIST allows loopback origins only', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://127.1.2.3', 'http://[::1]:9000', 'http://localhost:8080', 'https://LOCALHOST.']) {
      expect(rule(url), url).toBe('loopback');
    }
    for (const url of ['https://ehr.example.org', 'http://10.0.0.5', 'http://192.168.1.10:8080', 'http://0.0.0.0', ...METADATA]) {
      expect(rule(url), url).toBeUndefined();
    }
  });

  it('refuses link-local and cloud metadata addresses and names even when the allowlist has a wildcard or other entries', () => {
    for (const url of METADATA) {
      expect(rule(url, ['*', 'https://ehr.example.org']), url).toBeUndefined();
      expect(rule(url, ['https://ehr.example.org']), url).toBeUndefined();
    }
    expect(rule('https://ehr.example.org', ['*'])).toBe('any-but-metadata');
    expect(rule('https://other.example.org', ['https://ehr.example.org'])).toBeUndefined();
    expect(rule('https://ehr.example.org', ['https://ehr.example.org'])).toBe('listed');
    // An origin is scheme, host and port: each must match.
    expect(rule('http://ehr.example.org', ['https://ehr.example.org'])).toBeUndefined();
    expect(rule('https://ehr.example.org:8443', ['https://ehr.example.org'])).toBeUndefined();
  });

  it('allows a metadata address only when listed by its exact origin', () => {
    expect(rule('http://169.254.169.254', ['http://169.254.169.254'])).toBe('listed');
    expect(rule('http://169.254.169.254', ['*', 'http://169.254.169.254'])).toBe('listed');
    expect(rule('http://169.254.169.254:81', ['http://169.254.169.254'])).toBeUndefined();
    expect(rule('http://metadata.google.internal', ['http://metadata.google.internal'])).toBe('listed');
    expect(addressAllowed('listed', '169.254.169.254')).toBe(true);
  });
});

describe('addressAllowed', () => {
  it('checks each resolved address against the origin\'s rule', () => {
    expect(addressAllowed('loopback', '127.0.0.1')).toBe(true);
    expect(addressAllowed('loopback', '::1')).toBe(true);
    expect(addressAllowed('loopback', '10.0.0.1')).toBe(false);
    expect(addressAllowed('any-but-metadata', '10.0.0.1')).toBe(true);
    for (const address of ['169.254.169.254', 'fe80::abcd', 'fd00:ec2::254', '100.100.100.200', '::ffff:169.254.169.254']) {
      expect(addressAllowed('any-but-metadata', address), address).toBe(false);
    }
  });
});

describe('checkedLookup', () => {
  const resolver = (table: Record<string, LookupAddress[]>): HostLookup & { calls: string[] } => {
    const calls: string[] = [];
    return Object.assign(async (name: string) => {
      calls.push(name);
      return table[name] ?? [];
    }, { calls });
  };
  const run = (lookup: ReturnType<typeof checkedLookup>, name: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => lookup(name, { all }, (error, address) => resolve({ error, address })));

  it('refuses a name when any of its addresses is not allowed, and hands the socket exactly the checked ones', async () => {
    const dns = resolver({
      'ehr.example.org': [{ address: '192.0.2.10', family: 4 }],
      'rebound.example.org': [{ address: '192.0.2.10', family: 4 }, { address: '169.254.169.254', family: 4 }],
      'local.example.org': [{ address: '127.0.0.1', family: 4 }],
    });
    const anyButMetadata = checkedLookup('any-but-metadata', dns);
    expect(await run(anyButMetadata, 'ehr.example.org', true)).toEqual({ error: null, address: [{ address: '192.0.2.10', family: 4 }] });
    expect(await run(anyButMetadata, 'ehr.example.org', false)).toEqual({ error: null, address: '192.0.2.10' });
    expect((await run(anyButMetadata, 'rebound.example.org', true)).error).toBeInstanceOf(AddressRefusedError);
    expect((await run(anyButMetadata, 'nowhere.example.org', true)).error).toBeInstanceOf(AddressRefusedError);
    const loopback = checkedLookup('loopback', dns);
    expect((await run(loopback, 'ehr.example.org', true)).error).toBeInstanceOf(AddressRefusedError);
    expect(await run(loopback, 'local.example.org', false)).toEqual({ error: null, address: '127.0.0.1' });
    // An origin listed exactly is the operator's choice, wherever it points.
    expect((await run(checkedLookup('listed', dns), 'rebound.example.org', true)).error).toBeNull();
  });
});
