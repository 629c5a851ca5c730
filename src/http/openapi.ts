// The OpenAPI description, generated from the route schemas (@fastify/swagger, dynamic mode),
// and its browsable page. Component names are the schemas' $ids, so openapi.json stays stable
// and diffable (test/http/metadata.test.ts checks the committed copy).

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { COMPONENT_SCHEMAS } from '../schemas/fhir-resources.js';
import { softwareVersion } from './software-version.js';

/**
 * Registers the shared schemas and the generator on the root instance, before any route, so
 * `app.swagger()` is callable from outside (npm run openapi, the drift test).
 */
export function registerOpenApi(app: FastifyInstance): void {
  for (const schema of COMPONENT_SCHEMAS) app.addSchema(schema);
  void app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'fhir-prescreen',
        description:
          'Pre-screens patients for clinical trials from FHIR R4 data. Every error body is a FHIR OperationOutcome.',
        version: softwareVersion(),
      },
      tags: [
        { name: 'FHIR', description: 'FHIR R4 endpoints (application/fhir+json)' },
        { name: 'Operations', description: 'Probes and documentation' },
      ],
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
}

export async function registerOpenApiRoutes(app: FastifyInstance): Promise<void> {
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())),
  );
}

/** The document exactly as `npm run openapi` writes it. */
export function openApiText(app: FastifyInstance): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}
