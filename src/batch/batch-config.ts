// The finder's environment, read in this one place (src/config.ts is the service's and needs
// PORT and friends the CLI has no use for). Same variables and defaults as the service, so
// `npm start` afterwards serves what the run stored: DATABASE_URL, else the embedded PGlite in
// DATA_DIR (default ./data); CANONICAL_BASE and MAPPINGS_DIR, because a ResearchSubject must
// be identical whichever transport wrote it; LOG_LEVEL for the pino lines.

import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

export interface BatchEnv {
  databaseUrl: string | undefined;
  dataDir: string;
  canonicalBase: string;
  mappingsDir: string;
  logLevel: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class BatchConfigError extends Error {
  override name = 'BatchConfigError';
}

export function readBatchEnv(env: Record<string, string | undefined> = process.env): BatchEnv {
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const databaseUrl = get('DATABASE_URL');
  // The value is never echoed: it may carry a password.
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new BatchConfigError('invalid configuration: DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const canonicalBase = get('CANONICAL_BASE') ?? 'https://fhir-prescreen.org';
  if (!/^https?:\/\/[^\s]+[^/\s]$/.test(canonicalBase)) {
    throw new BatchConfigError('invalid configuration: CANONICAL_BASE must be an absolute http(s) URL without a trailing slash');
  }
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new BatchConfigError(`invalid configuration: LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    databaseUrl,
    dataDir: get('DATA_DIR') ?? './data',
    canonicalBase,
    mappingsDir: get('MAPPINGS_DIR') ?? join(packageRoot(), 'fhir-mappings'),
    logLevel,
  };
}
