// The $screen routes: per study (screen-route.ts) and type-level, every study at once
// (screen-every-study-route.ts). Encapsulated, so the NDJSON parser exists only on them.

import type { FastifyInstance } from 'fastify';
import { FHIR_NDJSON } from './fhir-reply.js';
import { screenEveryStudyRoute } from './screen-every-study-route.js';
import { screenRoute } from './screen-route.js';

export async function screenRoutes(app: FastifyInstance): Promise<void> {
  // The raw stream goes to the handler, which reads one line at a time: a batch is never
  // buffered whole, and fastify's bodyLimit applies per line instead.
  app.addContentTypeParser(FHIR_NDJSON, (_request, payload, done) => done(null, payload));
  await app.register(screenRoute);
  await app.register(screenEveryStudyRoute);
}
