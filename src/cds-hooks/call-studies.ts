// Which studies a CDS call screens: decided here and nowhere else, so that a rule limiting a
// caller to some studies applies alike to what is screened and stored, to the cards, to the
// screening threads and to the trials-prescreen feedback summary. A study's own service
// screens that study, trials-prescreen every study held here; of those, only the ones the
// caller may use (auth/study-access.ts): write for a call or feedback (they store), read for
// the feedback summary. A caller that may use none of them is refused (cds-routes.ts).

import type { FastifyRequest } from 'fastify';
import { mayUse, studyAccess } from '../auth/study-access.js';
import type { UnionTemplate } from './prefetch-union.js';
import type { CdsServiceDefinition, CdsServiceStudy } from './services.js';

export function studiesOfCall(service: CdsServiceDefinition, request: FastifyRequest): CdsServiceStudy[] {
  const access = studyAccess(request.principal, request.routeOptions.url === '/cds-services/:id/feedback-summary' ? 'read' : 'write');
  return access === 'all' ? service.studies : service.studies.filter((s) => mayUse(access, s.study.mapping.id));
}

/** The templates the given studies read: a call gathers (and may be refused for) no other data. */
export function templatesOf(service: CdsServiceDefinition, studies: readonly CdsServiceStudy[]): UnionTemplate[] {
  if (studies.length === service.studies.length) return service.templates;
  const ids = new Set(studies.map((s) => s.study.mapping.id));
  return service.templates.filter((t) => t.studies.some((id) => ids.has(id)));
}
