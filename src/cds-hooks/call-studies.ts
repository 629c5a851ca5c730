// Which studies a CDS call screens: decided here and nowhere else, so that a rule limiting a
// caller to some studies applies alike to what is screened and stored, to the cards, to the
// screening threads and to the trials-prescreen feedback summary. Today every study of the
// service: a study's own service screens that study, trials-prescreen every study held here.

import type { FastifyRequest } from 'fastify';
import type { UnionTemplate } from './prefetch-union.js';
import type { CdsServiceDefinition, CdsServiceStudy } from './services.js';

export function studiesOfCall(service: CdsServiceDefinition, _request: FastifyRequest): CdsServiceStudy[] {
  return service.studies;
}

/** The templates the given studies read: a call gathers (and may be refused for) no other data. */
export function templatesOf(service: CdsServiceDefinition, studies: readonly CdsServiceStudy[]): UnionTemplate[] {
  if (studies.length === service.studies.length) return service.templates;
  const ids = new Set(studies.map((s) => s.study.mapping.id));
  return service.templates.filter((t) => t.studies.some((id) => ids.has(id)));
}
