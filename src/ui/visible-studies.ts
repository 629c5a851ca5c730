// Which studies a caller of the worklist page may see: the one place the page's routes ask, so
// per-study access narrows every one of them at once. The decision itself is
// auth/study-access.ts's: the studies the caller's ResearchSubject read scopes cover.

import type { FastifyRequest } from 'fastify';
import { forbidden, mayUse, studyAccess, studyForCaller } from '../auth/study-access.js';
import type { ScreeningStudy } from '../screening/study-registry.js';

/** The studies this caller may see, by id, in the service's order. */
export function visibleStudies(request: FastifyRequest): ReadonlyMap<string, ScreeningStudy> {
  const access = studyAccess(request.principal, 'read');
  const studies = request.server.studies;
  return access === 'all' ? studies : new Map([...studies].filter(([id]) => access.has(id)));
}

/** A study the caller may see: 403 outside its studies (existing or not), else the 404 that lists the ones it may. */
export function visibleStudy(request: FastifyRequest, id: string): ScreeningStudy {
  return studyForCaller(request.server.studies, studyAccess(request.principal, 'read'), id);
}

/** A stored result of a study the caller may not see is forbidden, as a FHIR read of it is. */
export function assertVisible(request: FastifyRequest, studyId: string): void {
  if (!mayUse(studyAccess(request.principal, 'read'), studyId)) throw forbidden();
}
