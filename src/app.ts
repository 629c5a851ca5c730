// Builds the fastify app: every plugin and route, registered explicitly and in order. It never
// listens; server.ts does, and tests use inject.

import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';
import { auditRoutes } from './audit/audit-routes.js';
import auditTrail from './audit/audit-trail.js';
import authentication from './auth/auth-plugin.js';
import { cdsRoutes } from './cds-hooks/cds-routes.js';
import type { Config } from './config.js';
import { handleError, handleNotFound } from './http/error-handler.js';
import { fhirRoutes } from './http/fhir-routes.js';
import { healthRoutes } from './http/health-routes.js';
import { registerOpenApi, registerOpenApiRoutes } from './http/openapi.js';
import { SafeLogController } from './http/log-controller.js';
import requestId from './http/request-id.js';
import sharedDecorators from './http/shared-decorators.js';
import rateLimiting from './http/rate-limit.js';
import { buildValidator } from './http/validator-compilers.js';
import { CDS_COMPONENT_SCHEMAS } from './schemas/cds-hooks.js';
import type { ScreeningStudy } from './screening/study-registry.js';
import type { Store } from './storage/store.js';
import { UI_COMPONENT_SCHEMAS, uiRoutes } from './ui/ui-routes.js';

export interface AppOptions {
  config: Config;
  store: Store;
  studies: ReadonlyMap<string, ScreeningStudy>;
  logger: Logger;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Everything but the shared decorators and the OpenAPI generator, which buildApp puts on the root. */
export async function app(instance: FastifyInstance): Promise<void> {
  await instance.register(requestId);
  instance.setErrorHandler(handleError);
  instance.setNotFoundHandler(handleNotFound);
  // Security first, in this order: who is calling (auth), how often (rate), what they did (audit).
  await instance.register(authentication);
  await instance.register(rateLimiting);
  await instance.register(auditTrail);
  await instance.register(fhirRoutes);
  await instance.register(auditRoutes);
  await instance.register(cdsRoutes);
  await instance.register(healthRoutes);
  // The coordinators' worklist page (/app) and its JSON API (/app/api).
  await instance.register(uiRoutes);
  await registerOpenApiRoutes(instance);
}

export function buildApp(options: AppOptions): FastifyInstance {
  const serverOptions: FastifyServerOptions = {
    loggerInstance: options.logger,
    bodyLimit: options.config.bodyLimit,
    // Connection limits (http/limits-config.ts): idle sockets, idle keep-alive, request receipt.
    connectionTimeout: options.config.limits.connectionTimeoutMs,
    keepAliveTimeout: options.config.limits.keepAliveTimeoutMs,
    requestTimeout: options.config.limits.requestTimeoutMs,
    // fastify's own request lines carry the URL; these carry only method, route and status.
    logController: new SafeLogController(),
    // A caller's X-Request-Id is kept only when it cannot smuggle anything into the logs.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // fastify's type wants ajv-compiler's pool signature; ours takes the same first argument.
    schemaController: { compilersFactory: { buildValidator: buildValidator as never } },
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    // Not 'idle': on close, Node counts a connection whose request is still waiting in its
    // socket buffer (the loop busy screening others) as idle and would reset it. Idle keep-alive
    // connections end by themselves within KEEP_ALIVE_TIMEOUT_MS; server.ts cuts what is left at
    // SHUTDOWN_TIMEOUT_MS.
    forceCloseConnections: false,
    // `$` may arrive percent-encoded; the router matches the literal `$screen`.
    rewriteUrl: (req) => (req.url ?? '/').replace(/\/%24screen(?=$|[?#])/i, '/$screen'),
  };
  const instance = Fastify(serverOptions);
  // Responses are sent as strings; this only guards against an object slipping through a
  // schema serializer, which would drop fields.
  instance.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // On the root, so tests and scripts can read app.config, app.studies and app.swagger().
  void instance.register(sharedDecorators, options);
  registerOpenApi(instance);
  for (const schema of CDS_COMPONENT_SCHEMAS) instance.addSchema(schema);
  for (const schema of UI_COMPONENT_SCHEMAS) instance.addSchema(schema);
  // Not wrapped with fastify-plugin: the error and not-found handlers apply to everything in it.
  void instance.register(app);
  return instance;
}
