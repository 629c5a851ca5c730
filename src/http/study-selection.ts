// Which studies a type-level $screen screens: every one the service holds, or those its `study`
// query parameter names (`study=glp1-ckd,belimumab-iim`; each a bare id or ResearchStudy/<id>,
// as the worklist search takes it). The answer is always in GET /ResearchStudy order, whatever
// order the parameter lists them in. Ids are looked up in the studies' Map only.

import { OperationOutcomeError } from '../fhir/errors.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import { unknownStudy } from './research-study-routes.js';

function badList(reason: string): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: `Parameter: study. ${reason}` });
}

/**
 * The studies named by `param` (the raw query value), or all of them when it is absent. An
 * unknown id is a 404 listing the studies screened here; an empty or repeated id, or the
 * parameter given twice, is a 400 saying which. Unknown input is never echoed.
 */
export function selectStudies(studies: ReadonlyMap<string, ScreeningStudy>, param: unknown): ScreeningStudy[] {
  if (param === undefined) return [...studies.values()];
  if (typeof param !== 'string') throw badList('Give it once, the study ids separated by commas.');
  const named = new Set<string>();
  for (const item of param.split(',')) {
    const id = item.trim().replace(/^ResearchStudy\//, '');
    if (id === '') throw badList('A study id is empty: nothing between two commas, before the first or after the last.');
    if (!studies.has(id)) throw unknownStudy(studies);
    if (named.has(id)) throw badList(`Study ${id} is named twice.`);
    named.add(id);
  }
  return [...studies].filter(([id]) => named.has(id)).map(([, study]) => study);
}
