// Which studies a type-level $screen screens: every one the service holds, or those its `study`
// query parameter names (`study=a,b`; each a bare id or ResearchStudy/<id>,
// as the worklist search takes it). The answer is always in GET /ResearchStudy order, whatever
// order the parameter lists them in. Ids are looked up in the studies' Map only. A caller
// limited to some studies (auth/study-access.ts) screens only those: a named study outside them
// is 403 (existing or not, before any 404), and without `study=` only the caller's are
// screened; when none of the studies held here is the caller's, 403.

import { allowedStudies, forbidden, mayUse, unknownStudyError, type StudyAccess } from '../auth/study-access.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import type { ScreeningStudy } from '../screening/study-registry.js';

function badList(reason: string): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: `Parameter: study. ${reason}` });
}

/**
 * The studies named by `param` (the raw query value), or all of them when it is absent. An
 * unknown id is a 404 listing the studies screened here; an empty or repeated id, or the
 * parameter given twice, is a 400 saying which. Unknown input is never echoed.
 */
export function selectStudies(studies: ReadonlyMap<string, ScreeningStudy>, param: unknown, access: StudyAccess = 'all'): ScreeningStudy[] {
  if (param === undefined) {
    const mine = [...studies.values()].filter((s) => mayUse(access, s.mapping.id));
    if (mine.length === 0 && studies.size > 0) throw forbidden();
    return mine;
  }
  if (typeof param !== 'string') throw badList('Give it once, the study ids separated by commas.');
  const named = new Set<string>();
  for (const item of param.split(',')) {
    const id = item.trim().replace(/^ResearchStudy\//, '');
    if (id === '') throw badList('A study id is empty: nothing between two commas, before the first or after the last.');
    if (!mayUse(access, id)) throw forbidden();
    if (!studies.has(id)) throw unknownStudyError(allowedStudies(access, studies.keys()));
    if (named.has(id)) throw badList(`Study ${id} is named twice.`);
    named.add(id);
  }
  return [...studies].filter(([id]) => named.has(id)).map(([, study]) => study);
}
