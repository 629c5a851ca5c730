// Which studies a caller of the worklist page may see: the one place the page's routes ask, so
// per-study access narrows every one of them at once. Today every caller sees every study.

import type { FastifyRequest } from 'fastify';
import { OperationOutcomeError } from '../fhir/errors.js';
import { findStudy } from '../http/research-study-routes.js';
import type { ScreeningStudy } from '../screening/study-registry.js';

/** The studies this caller may see, by id, in the service's order. */
export function visibleStudies(request: FastifyRequest): ReadonlyMap<string, ScreeningStudy> {
  return request.server.studies;
}

/** A study the caller may see, or the 404 that lists the ones it may. */
export function visibleStudy(request: FastifyRequest, id: string): ScreeningStudy {
  return findStudy(visibleStudies(request), id);
}

/** A stored result of a study the caller may not see is forbidden, as a FHIR read of it is. */
export function assertVisible(request: FastifyRequest, studyId: string): void {
  if (!visibleStudies(request).has(studyId)) throw new OperationOutcomeError('PRESCREEN_FORBIDDEN');
}
