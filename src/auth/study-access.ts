// Which studies a caller may read or write: the one place that decides it, from the caller's
// scopes (scopes.ts), for every route that answers about a study. Authentication off: every
// study. A CDS Hooks client verified by CDS_CLIENTS: every study (that scheme has no scopes;
// the EHRs it lists are trusted with every service). Otherwise the union of the studies of
// each scope that covers the resource type and access: one without a limit covers them all.
//
// How a route answers a caller outside a study (documented in the README's Security section):
// - a route naming a study ($screen, the page's study reports): 403 when the caller may not use
//   it, whether or not it exists, so no study's name is learnt by probing; 404 (naming only the
//   caller's studies) when the caller may use it and it does not exist;
// - a read by id (ResearchSubject, AuditEvent): 404 when there is no such id, 403 when it is
//   about a study the caller may not use; the 403 names nothing;
// - a search: only the caller's studies, `total` and paging counted after the filter.

import { OperationOutcomeError } from '../fhir/errors.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import type { Principal } from './principal.js';
import { parseScope, scopeCovers, type Access } from './scopes.js';

export type StudyAccess = 'all' | ReadonlySet<string>;

export function studyAccess(principal: Principal, access: Access, resourceType = 'ResearchSubject'): StudyAccess {
  if (principal.unrestricted === true || principal.kind === 'cds') return 'all';
  const studies = new Set<string>();
  for (const text of principal.scopes) {
    const scope = parseScope(text);
    if (scope === undefined || !scopeCovers(scope, resourceType, access)) continue;
    if (scope.studies === 'all') return 'all';
    for (const id of scope.studies) studies.add(id);
  }
  return studies;
}

export function mayUse(access: StudyAccess, studyId: string): boolean {
  return access === 'all' || access.has(studyId);
}

/** The ids among `studyIds` the access covers, in their order. */
export function allowedStudies(access: StudyAccess, studyIds: Iterable<string>): string[] {
  return [...studyIds].filter((id) => mayUse(access, id));
}

export function forbidden(): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_FORBIDDEN');
}

/**
 * The study a request names, checked for this caller: 403 forbidden outside its studies
 * (existing or not), else the study, else 404 naming the studies the caller may use.
 */
export function studyForCaller(studies: ReadonlyMap<string, ScreeningStudy>, access: StudyAccess, id: string): ScreeningStudy {
  if (!mayUse(access, id)) throw forbidden();
  const study = studies.get(id);
  if (study) return study;
  throw unknownStudyError(allowedStudies(access, studies.keys()));
}

/** The 404 for a study id this service does not screen, naming the ones the caller may use. */
export function unknownStudyError(ids: readonly string[]): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_UNKNOWN_STUDY', { detail: `Studies screened here: ${ids.length > 0 ? ids.join(', ') : 'none'}.` });
}
