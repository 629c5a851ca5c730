// The CDS Hooks 2.0 route group: discovery, the patient-view services, feedback and the
// feedback summary. Encapsulated (own plugin scope): its JSON parser, CORS headers, JWT check,
// load shedding and error handler exist only under /cds-services.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden } from '../auth/study-access.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { JSON_MEDIA_TYPES, registerJsonBodyParser } from '../http/json-body-parser.js';
import { studiesOfCall } from './call-studies.js';
import { handleCdsError, sendCdsOutcome } from './cds-reply.js';
import { corsHeaders } from './cors.js';
import { discoveryRoute } from './discovery-route.js';
import { feedbackRoutes } from './feedback-routes.js';
import { CdsAuthError, createJwtVerifier } from './jwt-verifier.js';
import { serviceRoute } from './service-route.js';
import { buildServices, type CdsServiceDefinition } from './services.js';

export interface CdsGroupOptions {
  services: ReadonlyMap<string, CdsServiceDefinition>;
}

/** The audience a JWT must name: the public URL of exactly this endpoint, never the Host header. */
function audienceOf(request: FastifyRequest, publicUrl: string): string {
  const pattern = request.routeOptions.url ?? '';
  const id = (request.params as { id?: string } | undefined)?.id;
  return `${publicUrl}${id === undefined ? pattern : pattern.replace(':id', encodeURIComponent(id))}`;
}

export async function cdsRoutes(app: FastifyInstance): Promise<void> {
  const cds = app.config.cds;
  const services = buildServices(app.studies, app.config.mappingsDir);

  app.removeAllContentTypeParsers();
  registerJsonBodyParser(app);
  app.setErrorHandler(handleCdsError);
  app.addHook('onRequest', corsHeaders(cds.corsOrigins));

  if (cds.clients !== undefined) {
    const verifier = createJwtVerifier({
      clients: cds.clients,
      algorithms: cds.algorithms,
      jtiCacheSize: cds.jtiCacheSize,
      jwksCooldownMs: cds.jwksCooldownMs,
    });
    const publicUrl = app.config.publicUrl!;
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      // A CORS preflight carries no credentials by design.
      if (request.method === 'OPTIONS') return;
      try {
        const client = await verifier.verify(request.headers.authorization, audienceOf(request, publicUrl));
        request.log.info({ iss: client.iss, tenant: client.tenant, jti: client.jti }, 'cds client verified');
        // Who called, for the audit trail and the rate limiter (auth/principal.ts).
        request.principal = { kind: 'cds', id: client.iss, scopes: [] };
      } catch (error) {
        const fields = error instanceof CdsAuthError ? { ...error.logFields, reason: error.reason } : { reason: 'error' };
        request.log.warn(fields, 'cds client rejected');
        // Counted with the FHIR API's failures (http/rate-limit.ts): guessing is throttled here too.
        const { exceeded, retryAfterS } = await request.server.authFailureExceeded(request);
        if (exceeded) {
          reply.header('retry-after', String(retryAfterS));
          return sendCdsOutcome(reply, new OperationOutcomeError('PRESCREEN_THROTTLED'));
        }
        reply.header('www-authenticate', 'Bearer');
        return sendCdsOutcome(reply, new OperationOutcomeError('PRESCREEN_UNAUTHENTICATED'));
      }
    });
  }

  // A study-limited caller (the FHIR API's scheme, without CDS_CLIENTS) reaches a service only
  // when it may use one of its studies (call-studies.ts): 403 otherwise. Checked before the
  // body is parsed, which for a call already screens. An unknown service falls through to its 404.
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.method === 'OPTIONS') return;
    const service = services.get((request.params as { id?: string } | undefined)?.id ?? '');
    if (service !== undefined && studiesOfCall(service, request).length === 0) throw forbidden();
  });

  const preflight = { schema: { hide: true } };
  const noContent = async (_request: FastifyRequest, reply: FastifyReply) => reply.code(204).send();
  app.options('/cds-services', preflight, noContent);
  app.options('/cds-services/*', preflight, noContent);

  const options: CdsGroupOptions = { services };
  await app.register(discoveryRoute, options);
  await app.register(serviceRoute, options);
  await app.register(feedbackRoutes, options);
}

export { JSON_MEDIA_TYPES as CDS_MEDIA_TYPES };
