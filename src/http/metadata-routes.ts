// GET /metadata and the $screen OperationDefinitions.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { renderCapabilityStatement } from '../render/capability-statement.js';
import { renderOperationDefinitions } from '../render/operation-definition.js';
import { FormatQuery, IdParams } from '../schemas/queries.js';
import { baseUrl } from './base-url.js';
import { sendFhir } from './fhir-reply.js';
import { COMMON_ERRORS, fhirContent, outcome } from './route-schemas.js';
import { softwareVersion } from './software-version.js';

export const metadataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const definitions = renderOperationDefinitions({ canonicalBase: app.config.canonicalBase });
  app.get(
    '/metadata',
    {
      schema: {
        summary: 'CapabilityStatement (FHIR R4 4.0.1)',
        tags: ['FHIR'],
        querystring: FormatQuery,
        response: { 200: fhirContent('CapabilityStatement', 'What this server supports'), ...COMMON_ERRORS },
      },
    },
    async (request, reply) =>
      sendFhir(
        reply,
        200,
        renderCapabilityStatement({
          canonicalBase: app.config.canonicalBase,
          implementationUrl: baseUrl(request),
          date: app.startedAt.toISOString(),
          softwareVersion: softwareVersion(),
          studies: [...app.studies.values()].map((s) => ({ id: s.mapping.id, title: s.mapping.title })),
        }),
      ),
  );

  app.get(
    '/OperationDefinition/:id',
    {
      schema: {
        summary: 'A $screen OperationDefinition: ResearchStudy-screen (per study) or ResearchStudy-screen-all (type-level)',
        tags: ['FHIR'],
        params: IdParams,
        querystring: FormatQuery,
        response: {
          200: fhirContent('OperationDefinition', 'The OperationDefinition'),
          404: outcome('No such OperationDefinition'),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const definition = definitions.get(request.params.id);
      if (definition === undefined) throw new OperationOutcomeError('PRESCREEN_NOT_FOUND');
      return sendFhir(reply, 200, definition);
    },
  );
};
