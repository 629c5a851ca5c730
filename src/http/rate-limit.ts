// Request rate per client (@fastify/rate-limit): a 429 OperationOutcome (`throttled`) with
// Retry-After past RATE_LIMIT_MAX requests per RATE_LIMIT_WINDOW_MS. Registered after the
// authentication hook, so the client is the verified principal (a token's client, an API key,
// a CDS issuer) and, with authentication off, the remote address. Probes are never limited.
// Failed authentications are counted separately per remote address (authFailureLimiter), so
// guessing credentials is throttled even though a failing request has no principal.

import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OperationOutcomeError } from '../fhir/errors.js';

const UNLIMITED_ROUTES = new Set(['/healthz', '/readyz']);

export function clientKey(request: FastifyRequest): string {
  const principal = request.principal;
  return principal === undefined || principal.kind === 'anonymous' ? `ip:${request.ip}` : `${principal.kind}:${principal.id}`;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Counts one failed authentication for the caller's address; true when past the limit. */
    authFailureExceeded(request: FastifyRequest): Promise<{ exceeded: boolean; retryAfterS: number }>;
  }
}

async function rateLimiting(app: FastifyInstance): Promise<void> {
  const limits = app.config.limits;
  await app.register(rateLimit, {
    // 0 = off: the plugin stays (the failure counter uses it) but limits no route.
    global: limits.rateLimitMax > 0,
    max: limits.rateLimitMax,
    timeWindow: limits.rateLimitWindowMs,
    hook: 'onRequest',
    keyGenerator: clientKey,
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: () => new OperationOutcomeError('PRESCREEN_THROTTLED'),
  });
  const failures = app.createRateLimit({
    max: limits.authFailureMax,
    timeWindow: limits.rateLimitWindowMs,
    keyGenerator: (request: FastifyRequest) => `auth-failure:${request.ip}`,
  });
  app.decorate('authFailureExceeded', async (request: FastifyRequest) => {
    const result = (await failures(request)) as { isExceeded?: boolean; ttlInSeconds?: number };
    return { exceeded: result.isExceeded === true, retryAfterS: Math.max(1, result.ttlInSeconds ?? 1) };
  });
}

export default fp(rateLimiting, { fastify: '5.x', name: 'rate-limiting', dependencies: ['shared-decorators'] });
