// FHIR API authentication: one onRequest hook on every route of the app (fastify-plugin, so
// it reaches every route group registered after it). Off unless configured; then each route
// needs what route-policy.ts says. A missing or bad credential is 401 `login` with
// `WWW-Authenticate: Bearer`; a good one without the scope is 403 `forbidden`; both say only
// "Not allowed." Past RATE_LIMIT_AUTH_FAILURES failures per address and window, 429.
// The CDS service routes keep the CDS Hooks JWT scheme (cds-hooks/cds-routes.ts) when
// CDS_CLIENTS is set; without it they take this scheme, so turning auth on never leaves a
// screening endpoint open.

import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OperationOutcomeError } from '../fhir/errors.js';
import { createAccessTokenVerifier, AuthError, type AccessTokenVerifier } from './access-token-verifier.js';
import { matchApiKey } from './api-keys.js';
import { bearerCredential, bearerJwt } from './jwt-keys.js';
import { ANONYMOUS, UNAUTHENTICATED, type Principal } from './principal.js';
import { policyOf } from './route-policy.js';
import { grants, scopeText } from './scopes.js';

async function authentication(app: FastifyInstance): Promise<void> {
  const auth = app.config.auth;
  app.decorateRequest('principal', null as unknown as Principal);
  app.addHook('onRequest', async (request) => {
    request.principal = auth.enabled ? UNAUTHENTICATED : ANONYMOUS;
  });
  if (!auth.enabled) return;

  const verifier: AccessTokenVerifier | undefined = auth.jwt ? createAccessTokenVerifier(auth.jwt) : undefined;
  const cdsOwnScheme = app.config.cds.clients !== undefined;

  async function authenticate(request: FastifyRequest): Promise<Principal> {
    const authorization = request.headers.authorization;
    const jwt = bearerJwt(authorization);
    if (jwt !== undefined && verifier !== undefined) return verifier.verify(jwt);
    const credential = bearerCredential(authorization);
    if (credential === undefined) throw new AuthError(authorization === undefined ? 'missing' : 'malformed');
    const key = auth.apiKeys.length > 0 ? matchApiKey(auth.apiKeys, credential) : undefined;
    if (!key) throw new AuthError('malformed');
    return key;
  }

  async function refuse(request: FastifyRequest, reply: FastifyReply, reason: string, fields: Record<string, string> = {}): Promise<never> {
    request.log.warn({ ...fields, reason }, 'authentication failed');
    const { exceeded, retryAfterS } = await request.server.authFailureExceeded(request);
    if (exceeded) {
      reply.header('retry-after', String(retryAfterS));
      throw new OperationOutcomeError('PRESCREEN_THROTTLED');
    }
    reply.header('www-authenticate', 'Bearer');
    throw new OperationOutcomeError('PRESCREEN_UNAUTHENTICATED');
  }

  app.addHook('onRequest', async (request, reply) => {
    const policy = policyOf(request);
    if (policy.kind === 'public') return;
    if (policy.kind === 'cds' && cdsOwnScheme) return;
    let principal: Principal;
    try {
      principal = await authenticate(request);
    } catch (error) {
      if (error instanceof AuthError) return refuse(request, reply, error.reason, error.logFields);
      request.log.error({ err: error }, 'authentication errored');
      return refuse(request, reply, 'error');
    }
    request.principal = principal;
    if (policy.kind === 'authenticated') return;
    if (!grants(principal.scopes, policy.scope)) {
      request.log.warn({ principal: principal.id, needs: scopeText(policy.scope) }, 'scope missing');
      throw new OperationOutcomeError('PRESCREEN_FORBIDDEN');
    }
  });
}

export default fp(authentication, { fastify: '5.x', name: 'authentication', dependencies: ['shared-decorators'] });
