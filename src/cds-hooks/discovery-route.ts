// GET /cds-services [Discovery]: one patient-view service per study, then trials-prescreen for
// every study at once (services.ts).

import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { CDS_JSON } from './cds-reply.js';
import type { CdsGroupOptions } from './cds-routes.js';
import { CDS_ERRORS } from './route-docs.js';

export async function discoveryRoute(app: FastifyInstance, options: CdsGroupOptions): Promise<void> {
  const body = { services: [...options.services.values()].map((s) => s.discovery) };
  const text = JSON.stringify(body);
  app.get(
    '/cds-services',
    {
      schema: {
        summary: 'CDS Hooks discovery: one patient-view service per study, and trials-prescreen for all of them',
        tags: ['CDS Hooks'],
        response: {
          200: { description: 'The services', content: { 'application/json': { schema: Type.Ref('CdsDiscovery') } } },
          401: CDS_ERRORS[401],
        },
      },
    },
    async (_request, reply) => reply.code(200).type(CDS_JSON).send(text),
  );
}
