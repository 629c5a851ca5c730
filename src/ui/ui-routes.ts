// The coordinators' worklist page and its JSON API, one encapsulated route group: its own JSON
// body parser (fastify's generic parse errors, never JSON.parse's text), and nothing that leaks
// into the FHIR or CDS groups. The list itself pages through GET /ResearchSubject.

import type { FastifyInstance } from 'fastify';
import { registerJsonBodyParser } from '../http/json-body-parser.js';
import { decisionRoutes } from './decision-routes.js';
import { pageRoutes } from './page-routes.js';
import { patientRoutes } from './patient-routes.js';
import { reportRoutes } from './report-routes.js';
import { Decision } from './ui-schemas.js';

/** Component schemas of this group, added on the root with the others (OpenAPI $refs). */
export const UI_COMPONENT_SCHEMAS = [Decision];

export async function uiRoutes(app: FastifyInstance): Promise<void> {
  app.removeAllContentTypeParsers();
  registerJsonBodyParser(app);
  await app.register(pageRoutes);
  await app.register(decisionRoutes);
  await app.register(reportRoutes);
  await app.register(patientRoutes);
}
