// Request rate (@fastify/rate-limit): a 429 OperationOutcome (`throttled`) with Retry-After
// past the limit per RATE_LIMIT_WINDOW_MS. Registered after the authentication hook, so the
// client is the verified principal (a token's client, an API key, a CDS issuer) or, without
// one, the remote address. Two kinds of caller:
// - a verified client, or any caller on loopback (the quick start's one user): RATE_LIMIT_CLIENT_MAX,
//   no limit by default. One EHR sends all its clinicians' CDS calls under one issuer and a
//   batch client sends $screen as fast as it is answered; a per-client limit would throttle
//   legitimate load at the service's own capacity, which CDS_MAX_IN_FLIGHT and the
//   screening deadline already bound.
// - an unauthenticated caller on another address (public routes, or ALLOW_UNAUTHENTICATED):
//   RATE_LIMIT_MAX per address.
// Probes are never limited. Failed authentications are counted separately per remote address
// (authFailureExceeded), from loopback too, so guessing credentials is throttled even though a
// failing request has no principal.

import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { OperationOutcomeError } from '../fhir/errors.js';
import { isLoopbackAddress } from './loopback.js';

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

/** A verified client, or a caller on this machine. */
function trusted(request: FastifyRequest): boolean {
  const principal = request.principal;
  return (principal !== undefined && principal.kind !== 'anonymous') || isLoopbackAddress(request.ip);
}

async function rateLimiting(app: FastifyInstance): Promise<void> {
  const limits = app.config.limits;
  const maxOf = (request: FastifyRequest) => (trusted(request) ? limits.clientRateLimitMax : limits.rateLimitMax);
  await app.register(rateLimit, {
    // Both 0 = off: the plugin stays (the failure counter uses it) but limits no route.
    global: limits.rateLimitMax > 0 || limits.clientRateLimitMax > 0,
    max: (request) => maxOf(request),
    timeWindow: limits.rateLimitWindowMs,
    hook: 'onRequest',
    keyGenerator: clientKey,
    // A limit of 0 means none, not "refuse everything".
    allowList: (request) => UNLIMITED_ROUTES.has(request.routeOptions.url ?? '') || maxOf(request) === 0,
    errorResponseBuilder: () => new OperationOutcomeError('PRESCREEN_THROTTLED'),
  });
  const failures = app.createRateLimit({
    max: limits.authFailureMax,
    timeWindow: limits.rateLimitWindowMs,
    keyGenerator: (request: FastifyRequest) => `auth-failure:${request.ip}`,
    // Every failure counts, whoever and wherever the caller.
    allowList: () => false,
  });
  app.decorate('authFailureExceeded', async (request: FastifyRequest) => {
    const result = (await failures(request)) as { isExceeded?: boolean; ttlInSeconds?: number };
    return { exceeded: result.isExceeded === true, retryAfterS: Math.max(1, result.ttlInSeconds ?? 1) };
  });
}

export default fp(rateLimiting, { fastify: '5.x', name: 'rate-limiting', dependencies: ['shared-decorators'] });
