// The FHIR API's authentication settings: their environment variables (merged into config.ts's
// EnvSchema) and the checks on them. Off unless AUTH_ISSUER or AUTH_API_KEYS is set, so the
// local quick start needs nothing. config.ts stays the only reader of process.env.

import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { ASYMMETRIC_ALGORITHMS, secureEnough, type KeyMaterial } from './jwt-keys.js';

const API_KEYS_TEXT =
  'a JSON array of {"name", "sha256" (64 hex digits: the SHA-256 of the key), "scopes" (space-separated)}';
const URL_TEXT = 'an absolute http(s) URL';

export const AUTH_ENV = {
  AUTH_ISSUER: Type.Optional(Type.String({ minLength: 1, description: 'the exact `iss` of accepted access tokens' })),
  AUTH_AUDIENCE: Type.Optional(Type.String({ minLength: 1, description: 'the `aud` access tokens must name (default: PUBLIC_URL)' })),
  AUTH_JWKS_URL: Type.Optional(Type.String({ pattern: '^https?://', description: URL_TEXT })),
  AUTH_JWKS: Type.Optional(Type.String({ description: 'a JSON Web Key Set {"keys": [...]}' })),
  AUTH_PUBLIC_KEY: Type.Optional(Type.String({ pattern: '-----BEGIN PUBLIC KEY-----', description: 'an SPKI PEM public key' })),
  AUTH_JWT_ALGORITHMS: Type.String({
    pattern: `^(?:${ASYMMETRIC_ALGORITHMS})(?:,(?:${ASYMMETRIC_ALGORITHMS}))*$`,
    default: 'ES384,RS384',
    description: 'a comma-separated list of asymmetric JWS algorithms (RS*, PS*, ES*, EdDSA)',
  }),
  AUTH_JWKS_COOLDOWN_MS: Type.Integer({ minimum: 0, default: 30_000, description: 'milliseconds' }),
  AUTH_API_KEYS: Type.Optional(Type.String({ description: API_KEYS_TEXT })),
};

const ApiKeyEntry = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$' }),
    sha256: Type.String({ pattern: '^[0-9a-fA-F]{64}$' }),
    scopes: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
const ApiKeyList = Type.Array(ApiKeyEntry, { minItems: 1 });
type ApiKeyEntry = Static<typeof ApiKeyEntry>;

export interface ApiKeyConfig {
  name: string;
  /** SHA-256 of the key, 32 bytes: only the hash is ever held. */
  hash: Buffer;
  scopes: string[];
}

export interface JwtAuthConfig extends KeyMaterial {
  issuer: string;
  audience: string;
  algorithms: string[];
  jwksCooldownMs: number;
}

export interface AuthConfig {
  /** True when either scheme is configured: every route but the public ones then needs a credential. */
  enabled: boolean;
  jwt: JwtAuthConfig | undefined;
  apiKeys: ApiKeyConfig[];
}

export function readAuthConfig(env: Record<string, unknown>, publicUrl: string | undefined, fail: (message: string) => Error): AuthConfig {
  const str = (key: string) => (typeof env[key] === 'string' ? (env[key] as string) : undefined);
  let jwt: JwtAuthConfig | undefined;
  const issuer = str('AUTH_ISSUER');
  const keyVars = ['AUTH_JWKS_URL', 'AUTH_JWKS', 'AUTH_PUBLIC_KEY'].filter((k) => str(k) !== undefined);
  if (issuer === undefined && (keyVars.length > 0 || str('AUTH_AUDIENCE') !== undefined)) {
    throw fail('invalid configuration: AUTH_ISSUER must be set with AUTH_AUDIENCE, AUTH_JWKS_URL, AUTH_JWKS or AUTH_PUBLIC_KEY');
  }
  if (issuer !== undefined) {
    if (keyVars.length !== 1) {
      throw fail('invalid configuration: AUTH_ISSUER needs exactly one of AUTH_JWKS_URL, AUTH_JWKS or AUTH_PUBLIC_KEY');
    }
    const audience = str('AUTH_AUDIENCE') ?? publicUrl;
    if (audience === undefined) throw fail('invalid configuration: AUTH_AUDIENCE (or PUBLIC_URL) must be set when AUTH_ISSUER is');
    const material: KeyMaterial = {};
    const jwksUrl = str('AUTH_JWKS_URL');
    if (jwksUrl !== undefined) {
      if (!secureEnough(new URL(jwksUrl))) throw fail('invalid configuration: AUTH_JWKS_URL must be https (http only on loopback)');
      material.jwksUrl = jwksUrl;
    }
    const jwks = str('AUTH_JWKS');
    if (jwks !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(jwks);
      } catch {
        parsed = undefined;
      }
      const keys = (parsed as { keys?: unknown } | undefined)?.keys;
      if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'object' && k !== null && !Array.isArray(k))) {
        throw fail('invalid configuration: AUTH_JWKS must be a JSON Web Key Set {"keys": [...]}');
      }
      material.jwks = { keys: keys as object[] };
    }
    const publicKey = str('AUTH_PUBLIC_KEY');
    if (publicKey !== undefined) material.publicKey = publicKey.replace(/\\n/g, '\n');
    jwt = {
      issuer,
      audience,
      algorithms: String(env['AUTH_JWT_ALGORITHMS']).split(','),
      jwksCooldownMs: env['AUTH_JWKS_COOLDOWN_MS'] as number,
      ...material,
    };
  }

  const apiKeys: ApiKeyConfig[] = [];
  const rawKeys = str('AUTH_API_KEYS');
  if (rawKeys !== undefined) {
    const bad = () => fail(`invalid configuration: AUTH_API_KEYS must be ${API_KEYS_TEXT}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawKeys);
    } catch {
      throw bad();
    }
    if (!Value.Check(ApiKeyList, parsed)) throw bad();
    const entries = parsed as ApiKeyEntry[];
    if (new Set(entries.map((e) => e.name)).size !== entries.length) throw bad();
    if (new Set(entries.map((e) => e.sha256.toLowerCase())).size !== entries.length) throw bad();
    for (const entry of entries) {
      apiKeys.push({
        name: entry.name,
        hash: Buffer.from(entry.sha256, 'hex'),
        scopes: entry.scopes.split(/\s+/).filter((s) => s !== ''),
      });
    }
  }
  return { enabled: jwt !== undefined || apiKeys.length > 0, jwt, apiKeys };
}
