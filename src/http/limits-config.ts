// Request limits beyond the body size and NDJSON limits (BODY_LIMIT, MAX_ENTRIES,
// NDJSON_MAX_LINES in config.ts): request rate (http/rate-limit.ts), the screening deadline, the HTTP
// server's connection timeouts and the shutdown deadline. Merged into config.ts's EnvSchema;
// config.ts stays the only reader of process.env.

import Type from 'typebox';
import { defaultOffThreads } from '../worker/off-thread.js';

const ms = (max?: number) => ({ minimum: 0, ...(max === undefined ? {} : { maximum: max }), description: 'milliseconds' });

export const LIMITS_ENV = {
  RATE_LIMIT_MAX: Type.Integer({
    minimum: 0,
    default: 600,
    description: 'requests per window from each unauthenticated caller on another address; 0 turns the limit off',
  }),
  RATE_LIMIT_CLIENT_MAX: Type.Integer({
    minimum: 0,
    default: 0,
    description: 'requests per window from each authenticated client or loopback caller; 0 (the default) = no limit',
  }),
  RATE_LIMIT_WINDOW_MS: Type.Integer({ minimum: 1000, default: 60_000, description: 'milliseconds, at least 1000' }),
  RATE_LIMIT_AUTH_FAILURES: Type.Integer({ minimum: 1, default: 30, description: 'failed authentications per address per window' }),
  SCREEN_TIMEOUT_MS: Type.Integer({ minimum: 1, default: 30_000, description: 'milliseconds per screening, at least 1' }),
  SCREEN_THREADS: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 16,
      description: 'worker threads that parse and screen a JSON $screen body of one study; default one per core beyond the first, at most 2; 0 = all on the request thread',
    }),
  ),
  CONNECTION_TIMEOUT_MS: Type.Integer({ ...ms(), default: 120_000 }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({ ...ms(), default: 5_000 }),
  REQUEST_TIMEOUT_MS: Type.Integer({ ...ms(), default: 300_000 }),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ ...ms(600_000), default: 10_000 }),
};

export interface LimitsConfig {
  /** Requests per window per unauthenticated caller on another address; 0 = no limit. */
  rateLimitMax: number;
  /** Requests per window per authenticated client or loopback caller; 0 = no limit. */
  clientRateLimitMax: number;
  rateLimitWindowMs: number;
  /** Failed authentications per remote address per window before 429. */
  authFailureMax: number;
  /** One screening (a $screen, or one NDJSON line) must be ready to store within this. */
  screenTimeoutMs: number;
  /** Worker threads for JSON $screen bodies of one study (http/screen-body-threads.ts); 0 = none. */
  screenThreads: number;
  /** Idle socket timeout (fastify connectionTimeout); 0 = none. */
  connectionTimeoutMs: number;
  /** Idle keep-alive connection timeout. */
  keepAliveTimeoutMs: number;
  /** Time to receive a whole request, headers and body (Node's requestTimeout); 0 = none. */
  requestTimeoutMs: number;
  /** SIGTERM: how long in-flight requests may take before connections are cut. */
  shutdownTimeoutMs: number;
}

export function readLimitsConfig(env: Record<string, unknown>): LimitsConfig {
  const n = (key: keyof typeof LIMITS_ENV) => env[key] as number;
  return {
    rateLimitMax: n('RATE_LIMIT_MAX'),
    clientRateLimitMax: n('RATE_LIMIT_CLIENT_MAX'),
    rateLimitWindowMs: n('RATE_LIMIT_WINDOW_MS'),
    authFailureMax: n('RATE_LIMIT_AUTH_FAILURES'),
    screenTimeoutMs: n('SCREEN_TIMEOUT_MS'),
    screenThreads: (env['SCREEN_THREADS'] as number | undefined) ?? defaultOffThreads(),
    connectionTimeoutMs: n('CONNECTION_TIMEOUT_MS'),
    keepAliveTimeoutMs: n('KEEP_ALIVE_TIMEOUT_MS'),
    requestTimeoutMs: n('REQUEST_TIMEOUT_MS'),
    shutdownTimeoutMs: n('SHUTDOWN_TIMEOUT_MS'),
  };
}
