// The CDS Hooks settings: their environment variables (merged into config.ts's EnvSchema) and
// the shape of CDS_CLIENTS, a JSON list of trusted CDS clients. config.ts stays the only
// reader of process.env; this file only describes and checks what it is given.

import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import type { HostLookup } from '../cds-hooks/fhir-origin.js';
import { defaultOffThreads } from '../worker/off-thread.js';

const ASYMMETRIC = '(?:RS|PS|ES)(?:256|384|512)|EdDSA';
const ORIGIN_LIST = 'a comma-separated list of origins like https://ehr.example.org';
const SMART_URL_TEXT = 'the launch URL of a SMART app: https, or http on loopback (localhost, 127.0.0.1, [::1]), with no user name or password';
const CLIENTS_TEXT =
  'a JSON array of {"iss", one of "jwksUrl" | "jwks" | "publicKey" (PEM), optional "jku" (allowed jku URLs), optional "tenants"}';

export const CDS_ENV = {
  CDS_CLIENTS: Type.Optional(
    Type.String({ description: CLIENTS_TEXT }),
  ),
  CDS_JWT_ALGORITHMS: Type.String({
    pattern: `^(?:${ASYMMETRIC})(?:,(?:${ASYMMETRIC}))*$`,
    default: 'ES384,RS384',
    description: 'a comma-separated list of asymmetric JWS algorithms (RS*, PS*, ES*, EdDSA)',
  }),
  CDS_FHIR_ALLOWLIST: Type.Optional(
    Type.String({ description: `${ORIGIN_LIST}, or * for any origin but link-local and cloud metadata addresses` }),
  ),
  CDS_CORS_ORIGINS: Type.Optional(Type.String({ description: `${ORIGIN_LIST}, or *` })),
  CDS_FHIR_TIMEOUT_MS: Type.Integer({ minimum: 1, maximum: 60_000, default: 750, description: 'milliseconds, 1-60000' }),
  CDS_FHIR_DEADLINE_MS: Type.Integer({ minimum: 1, maximum: 120_000, default: 900, description: 'milliseconds, 1-120000' }),
  CDS_FHIR_CONCURRENCY: Type.Integer({ minimum: 1, maximum: 32, default: 4, description: 'an integer 1-32' }),
  CDS_FHIR_MAX_PAGES: Type.Integer({ minimum: 1, maximum: 1000, default: 20, description: 'an integer 1-1000' }),
  CDS_MAX_IN_FLIGHT: Type.Integer({ minimum: 1, default: 64, description: 'a positive integer' }),
  CDS_SCREEN_THREADS: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 16, description: 'an integer 0-16 (default: one per core beyond the first, at most 2)' }),
  ),
  CDS_INELIGIBLE_CARDS: Type.Boolean({ default: false, description: 'true or false' }),
  SMART_LAUNCH_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^\\s]+$', description: SMART_URL_TEXT }),
  ),
  CDS_JTI_CACHE_SIZE: Type.Integer({ minimum: 1, default: 10_000, description: 'a positive integer' }),
  CDS_JWKS_COOLDOWN_MS: Type.Integer({ minimum: 0, default: 30_000, description: 'milliseconds' }),
};

export const CdsClient = Type.Object(
  {
    iss: Type.String({ minLength: 1 }),
    jwksUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    jwks: Type.Optional(Type.Object({ keys: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1 }) })),
    publicKey: Type.Optional(Type.String({ pattern: '-----BEGIN PUBLIC KEY-----' })),
    jku: Type.Optional(Type.Array(Type.String({ pattern: '^https?://' }), { minItems: 1 })),
    tenants: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
  },
  { additionalProperties: false },
);
export type CdsClient = Static<typeof CdsClient>;

export const CdsClients = Type.Array(CdsClient, { minItems: 1 });

export interface CdsConfig {
  /** Trusted CDS clients; undefined = no JWT required (the local quick start only). */
  clients: CdsClient[] | undefined;
  algorithms: string[];
  /**
   * Origins fhirServer may name, exactly, and `*` for any but link-local and cloud metadata
   * addresses; undefined = loopback origins only (cds-hooks/fhir-origin.ts).
   */
  fhirAllowlist: string[] | undefined;
  /** Resolves fhirServer host names; dns.lookup when unset. Tests inject one to stay off the network. */
  hostLookup?: HostLookup;
  /** Browser origins allowed by CORS; `*` allows any (never with credentials). */
  corsOrigins: string[];
  fetchTimeoutMs: number;
  fetchDeadlineMs: number;
  fetchConcurrency: number;
  fetchMaxPages: number;
  maxInFlight: number;
  /** Worker threads that screen complete-prefetch calls (cds-hooks/screen-threads.ts); 0 = none. */
  screenThreads: number;
  ineligibleCards: boolean;
  /** SMART_LAUNCH_URL: every card also offers this SMART app (a `smart` link); undefined = no such link. */
  smartLaunchUrl: string | undefined;
  jtiCacheSize: number;
  jwksCooldownMs: number;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** http only for loopback (tests, a JWKS beside the service); https everywhere else. */
function secureEnough(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

function origins(raw: string | undefined, name: string, allowStar: boolean, fail: (m: string) => Error): string[] | undefined {
  if (raw === undefined) return undefined;
  const list = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const item of list) {
    if (allowStar && item === '*') continue;
    let ok = false;
    try {
      const url = new URL(item);
      ok = (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === item;
    } catch {
      ok = false;
    }
    if (!ok) throw fail(`invalid configuration: ${name} must be ${ORIGIN_LIST}`);
  }
  return list;
}

/** A URL every clinician's browser may be sent to: https (http on loopback), no credentials in it. */
function smartLaunchUrl(raw: string | undefined, fail: (m: string) => Error): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw fail(`invalid configuration: SMART_LAUNCH_URL must be ${SMART_URL_TEXT}`);
  }
  if (!secureEnough(url) || url.username !== '' || url.password !== '') throw fail(`invalid configuration: SMART_LAUNCH_URL must be ${SMART_URL_TEXT}`);
  return raw;
}

/** Reads the checked environment; throws fail(message) when CDS_CLIENTS is unusable. */
export function readCdsConfig(env: Record<string, unknown>, publicUrl: string | undefined, fail: (message: string) => Error): CdsConfig {
  let clients: CdsClient[] | undefined;
  const rawClients = env['CDS_CLIENTS'];
  if (typeof rawClients === 'string') {
    const bad = () => fail(`invalid configuration: CDS_CLIENTS must be ${CLIENTS_TEXT}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawClients);
    } catch {
      throw bad();
    }
    if (!Value.Check(CdsClients, parsed)) throw bad();
    for (const client of parsed) {
      const sources = [client.jwksUrl, client.jwks, client.publicKey].filter((s) => s !== undefined).length;
      if (sources !== 1) throw bad();
      for (const url of [client.jwksUrl, ...(client.jku ?? [])]) {
        if (url !== undefined && !secureEnough(new URL(url))) throw bad();
      }
    }
    if (new Set(parsed.map((c) => c.iss)).size !== parsed.length) throw bad();
    if (publicUrl === undefined) {
      throw fail('invalid configuration: PUBLIC_URL must be set when CDS_CLIENTS is (it is the JWT audience)');
    }
    clients = parsed;
  }
  return {
    clients,
    algorithms: String(env['CDS_JWT_ALGORITHMS']).split(','),
    fhirAllowlist: origins(env['CDS_FHIR_ALLOWLIST'] as string | undefined, 'CDS_FHIR_ALLOWLIST', true, fail),
    corsOrigins: origins(env['CDS_CORS_ORIGINS'] as string | undefined, 'CDS_CORS_ORIGINS', true, fail) ?? [],
    fetchTimeoutMs: env['CDS_FHIR_TIMEOUT_MS'] as number,
    fetchDeadlineMs: env['CDS_FHIR_DEADLINE_MS'] as number,
    fetchConcurrency: env['CDS_FHIR_CONCURRENCY'] as number,
    fetchMaxPages: env['CDS_FHIR_MAX_PAGES'] as number,
    maxInFlight: env['CDS_MAX_IN_FLIGHT'] as number,
    screenThreads: (env['CDS_SCREEN_THREADS'] as number | undefined) ?? defaultOffThreads(),
    ineligibleCards: env['CDS_INELIGIBLE_CARDS'] as boolean,
    smartLaunchUrl: smartLaunchUrl(env['SMART_LAUNCH_URL'] as string | undefined, fail),
    jtiCacheSize: env['CDS_JTI_CACHE_SIZE'] as number,
    jwksCooldownMs: env['CDS_JWKS_COOLDOWN_MS'] as number,
  };
}
