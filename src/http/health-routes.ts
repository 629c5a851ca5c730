// Liveness and readiness. Outside the FHIR media rules: probes send whatever they send.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { renderOperationOutcome } from '../render/operation-outcome.js';
import { sendFhir } from './fhir-reply.js';
import { outcome } from './route-schemas.js';

const health = (description: string) => ({
  description,
  content: { 'application/json': { schema: Type.Ref('Health') } },
});

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness', tags: ['Operations'], response: { 200: health('The process is up') } } },
    async (_request, reply) => reply.type('application/json').send(JSON.stringify({ status: 'ok' })),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: storage reachable and studies loaded',
        tags: ['Operations'],
        response: { 200: health('Ready'), 503: outcome('Not ready') },
      },
    },
    async (request, reply) => {
      let ready = app.studies.size > 0;
      if (ready) {
        try {
          await app.store.ping();
        } catch (error) {
          request.log.warn({ err: error }, 'storage ping failed');
          ready = false;
        }
      }
      if (!ready) {
        const outcomeError = new OperationOutcomeError('PRESCREEN_UNAVAILABLE');
        return sendFhir(reply, 503, renderOperationOutcome(outcomeError, { canonicalBase: app.config.canonicalBase }));
      }
      return reply.type('application/json').send(JSON.stringify({ status: 'ready' }));
    },
  );
};
