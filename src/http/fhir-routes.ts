// The FHIR route group: its own content-type parsers (JSON kinds only, so anything else is a
// 415) and its own negotiation hook. Encapsulated, so neither reaches /docs or the probes.

import type { FastifyInstance } from 'fastify';
import { registerJsonBodyParser } from './json-body-parser.js';
import { negotiateFhirMedia } from './media-negotiation.js';
import { metadataRoutes } from './metadata-routes.js';
import { researchStudyRoutes } from './research-study-routes.js';
import { researchSubjectRoutes } from './research-subject-routes.js';
import { screenRoutes } from './screen-routes.js';

export async function fhirRoutes(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  registerJsonBodyParser(app);
  app.addHook('onRequest', negotiateFhirMedia);
  await app.register(metadataRoutes);
  await app.register(researchStudyRoutes);
  await app.register(screenRoutes);
  await app.register(researchSubjectRoutes);
}
