// The service's settings. This is the only module that reads process.env: everything else
// receives a Config, so tests build apps with plain objects and no environment leaks in.

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { AUTH_ENV, readAuthConfig, type AuthConfig } from './auth/auth-config.js';
import { isLoopbackHost } from './http/loopback.js';
import { LIMITS_ENV, readLimitsConfig, type LimitsConfig } from './http/limits-config.js';
import { CDS_ENV, readCdsConfig, type CdsConfig } from './schemas/cds-config.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const MiB = 1024 * 1024;

export const EnvSchema = Type.Object(
  {
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: 'an integer port 0-65535' }),
    // No schema default: it depends on whether authentication is configured (loadConfig).
    HOST: Type.Optional(Type.String({ minLength: 1, description: 'a host name or address' })),
    ALLOW_UNAUTHENTICATED: Type.Boolean({ default: false, description: 'true or false' }),
    DATABASE_URL: Type.Optional(
      Type.String({ pattern: '^postgres(ql)?://', description: 'a postgres:// or postgresql:// URL' }),
    ),
    DATA_DIR: Type.String({ minLength: 1, default: './data', description: 'a directory path' }),
    LOG_LEVEL: Type.Union(
      LOG_LEVELS.map((l) => Type.Literal(l)),
      { default: 'info', description: `one of ${LOG_LEVELS.join(', ')}` },
    ),
    BODY_LIMIT: Type.Integer({ minimum: 1024, default: 16 * MiB, description: 'a byte count of at least 1024' }),
    CANONICAL_BASE: Type.String({
      pattern: '^https?://[^\\s]+[^/\\s]$',
      default: 'https://fhir-prescreen.org',
      description: 'an absolute http(s) URL without a trailing slash',
    }),
    PUBLIC_URL: Type.Optional(
      Type.String({ pattern: '^https?://[^\\s]+[^/\\s]$', description: 'an absolute http(s) URL without a trailing slash' }),
    ),
    MAPPINGS_DIR: Type.Optional(Type.String({ minLength: 1, description: 'a directory path' })),
    MAX_ENTRIES: Type.Integer({ minimum: 1, default: 20_000, description: 'a positive integer' }),
    NDJSON_MAX_LINES: Type.Integer({ minimum: 1, default: 10_000, description: 'a positive integer' }),
    PATIENT_LINK_TEMPLATE: Type.Optional(
      Type.String({ pattern: '^https?://[^\\s]*\\{id\\}[^\\s]*$', description: 'an http(s) URL containing {id}, e.g. https://ehr.example.org/patients/{id}' }),
    ),
    ...CDS_ENV,
    ...AUTH_ENV,
    ...LIMITS_ENV,
  },
  { additionalProperties: true },
);

export type Env = Static<typeof EnvSchema>;

export interface Config {
  port: number;
  /** Default: 127.0.0.1 with authentication off, 0.0.0.0 with it on. */
  host: string;
  /** ALLOW_UNAUTHENTICATED: serve without authentication on an interface other than loopback. */
  allowUnauthenticated: boolean;
  databaseUrl: string | undefined;
  dataDir: string;
  logLevel: (typeof LOG_LEVELS)[number];
  bodyLimit: number;
  canonicalBase: string;
  publicUrl: string | undefined;
  mappingsDir: string;
  maxEntries: number;
  ndjsonMaxLines: number;
  /** The worklist page links each patient to the EHR with this URL; `{id}` is the Patient id. */
  patientLinkTemplate: string | undefined;
  /** CDS Hooks: JWT clients, FHIR origins, CORS, fetch limits (schemas/cds-config.ts). */
  cds: CdsConfig;
  /** FHIR API authentication: bearer JWTs and/or API keys; off by default (auth/auth-config.ts). */
  auth: AuthConfig;
  /** Rate, screening deadline, server timeouts, shutdown deadline (http/limits-config.ts). */
  limits: LimitsConfig;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * The folder holding package.json. Walking up (rather than a fixed `../..`) keeps it right both
 * from src/ under tsx and from dist/src/ after tsc.
 */
export function projectRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new ConfigError('cannot find the project root (no package.json above the code)');
    dir = parent;
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = env[key];
    // An empty variable means "not set", as in most twelve-factor services.
    if (value !== undefined && value.trim() !== '') raw[key] = value.trim();
  }
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, { ...raw })) as Record<string, unknown>;
  // Convert would quietly truncate `1.5` to 1 (and works in place, hence the copy above); an
  // integer setting must be written as one.
  for (const [key, schema] of Object.entries(EnvSchema.properties)) {
    if ((schema as { type?: unknown }).type === 'integer' && key in raw && !/^\d+$/.test(raw[key]!)) converted[key] = raw[key];
  }
  if (!Value.Check(EnvSchema, converted)) {
    const first = Value.Errors(EnvSchema, converted)[0];
    const name = first?.instancePath.split('/')[1] ?? 'environment';
    const properties = EnvSchema.properties as Record<string, { description?: string }>;
    const expected = properties[name]?.description ?? 'a valid value';
    // The value is not echoed: DATABASE_URL and friends may carry credentials.
    throw new ConfigError(`invalid configuration: ${name} must be ${expected}`);
  }
  const e = converted as Env;
  const auth = readAuthConfig(converted, e.PUBLIC_URL, (message) => new ConfigError(message));
  // Safe by default: without authentication the worklist, the notes and $screen are open to
  // whoever reaches the port, so only this machine may reach it unless the operator says
  // otherwise by name. With authentication every route but the probes, /metadata and CDS
  // discovery needs a credential, and serving the network (an EHR, a batch client) is the point.
  const host = e.HOST ?? (auth.enabled ? '0.0.0.0' : '127.0.0.1');
  if (!auth.enabled && !e.ALLOW_UNAUTHENTICATED && !isLoopbackHost(host)) {
    throw new ConfigError(
      'invalid configuration: HOST is not loopback (127.0.0.1, ::1, localhost) and authentication is off; set AUTH_ISSUER or AUTH_API_KEYS, or ALLOW_UNAUTHENTICATED=true',
    );
  }
  return {
    port: e.PORT,
    host,
    allowUnauthenticated: e.ALLOW_UNAUTHENTICATED,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    bodyLimit: e.BODY_LIMIT,
    canonicalBase: e.CANONICAL_BASE,
    publicUrl: e.PUBLIC_URL,
    mappingsDir: e.MAPPINGS_DIR ?? join(projectRoot(), 'fhir-mappings'),
    maxEntries: e.MAX_ENTRIES,
    ndjsonMaxLines: e.NDJSON_MAX_LINES,
    patientLinkTemplate: e.PATIENT_LINK_TEMPLATE,
    cds: readCdsConfig(converted, e.PUBLIC_URL, (message) => new ConfigError(message)),
    auth,
    limits: readLimitsConfig(converted),
  };
}
