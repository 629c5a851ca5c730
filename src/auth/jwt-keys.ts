// Pieces both JWT verifiers share (the FHIR API's access tokens, src/auth, and the CDS clients'
// tokens, src/cds-hooks): reading a Bearer header, turning configured key material into a jose
// key source, and making untrusted claim text safe for a log line.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, type JWTVerifyGetKey } from 'jose';

export type KeySource = JWTVerifyGetKey | KeyObject;

/** Exactly one of these names where a verifier's public keys come from. */
export interface KeyMaterial {
  jwksUrl?: string | undefined;
  jwks?: { keys: object[] } | undefined;
  /** SPKI PEM. */
  publicKey?: string | undefined;
}

const BEARER_JWT = /^Bearer +([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*\.[A-Za-z0-9_=-]*)$/i;
const BEARER_ANY = /^Bearer +([\x21-\x7e]{1,4096})$/i;

/** The compact JWT of an `Authorization: Bearer …` header, or undefined when it holds none. */
export function bearerJwt(authorization: string | undefined): string | undefined {
  return BEARER_JWT.exec(authorization?.trim() ?? '')?.[1];
}

/** Any bearer credential (a JWT or an opaque API key), or undefined. */
export function bearerCredential(authorization: string | undefined): string | undefined {
  return BEARER_ANY.exec(authorization?.trim() ?? '')?.[1];
}

/** Untrusted text headed for a log line: short, printable. */
export function loggable(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

/** Remote JWKS sets, one per URL, refetched on an unknown kid no more often than the cooldown. */
export function remoteJwksCache(cooldownMs: number): (url: string) => JWTVerifyGetKey {
  const remote = new Map<string, JWTVerifyGetKey>();
  return (url) => {
    let set = remote.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), { timeoutDuration: 2000, cooldownDuration: cooldownMs });
      remote.set(url, set);
    }
    return set;
  };
}

/** The jose key source for configured material; undefined when none is given. */
export function keySourceOf(material: KeyMaterial, remoteSet: (url: string) => JWTVerifyGetKey): KeySource | undefined {
  if (material.jwksUrl !== undefined) return remoteSet(material.jwksUrl);
  if (material.jwks !== undefined) return createLocalJWKSet(material.jwks as Parameters<typeof createLocalJWKSet>[0]);
  if (material.publicKey !== undefined) return createPublicKey(material.publicKey);
  return undefined;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** http only for loopback (tests, a JWKS beside the service); https everywhere else. */
export function secureEnough(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/** The JWS algorithms a verifier may accept: asymmetric only, never `none` or HS*. */
export const ASYMMETRIC_ALGORITHMS = '(?:RS|PS|ES)(?:256|384|512)|EdDSA';
