// The status rule: ineligible when anything fails; potential-candidate when nothing
// fails but EHR data would decide an unknown; candidate when every unknown needs a person.

import type { IsoDay } from '../fhir/dates.js';
import type { CriterionEvaluation } from '../criteria/types.js';
import type { SubjectStatus } from './evaluation.js';

export function isFailing(c: CriterionEvaluation): boolean {
  return (c.type === 'inclusion' && c.result === 'not-met') || (c.type === 'exclusion' && c.result === 'met');
}

export function subjectStatus(criteria: CriterionEvaluation[]): SubjectStatus {
  if (criteria.some(isFailing)) return 'ineligible';
  if (criteria.some((c) => c.result === 'unknown' && !c.manual)) return 'potential-candidate';
  return 'candidate';
}

/** The latest clearsOn when every failing criterion has one; otherwise undefined. */
export function eligibleFrom(criteria: CriterionEvaluation[]): IsoDay | undefined {
  const failing = criteria.filter(isFailing);
  if (failing.length === 0) return undefined;
  let latest: IsoDay | undefined;
  for (const c of failing) {
    if (!c.clearsOn) return undefined;
    if (!latest || c.clearsOn > latest) latest = c.clearsOn;
  }
  return latest;
}
