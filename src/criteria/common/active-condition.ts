// The rules every criterion shares: which Conditions count at all, and when one is active at D.
// The mapping already drops records that do not count; the criteria check again so that a
// model built another way (a test, a future mapping) cannot slip a refuted diagnosis through.

import type { IsoDay } from '../../fhir/dates.js';
import type { Diagnosis, EligibilityModel } from '../../mapping/model.js';

const NOT_COUNTED_VERIFICATION = new Set(['refuted', 'entered-in-error']);
const ACTIVE_CLINICAL = new Set(['active', 'recurrence', 'relapse']);

export function conditionCounts(dx: Diagnosis, options: { excludeDifferential?: boolean } = {}): boolean {
  const v = dx.verificationStatus;
  if (v !== undefined && NOT_COUNTED_VERIFICATION.has(v)) return false;
  if (options.excludeDifferential && v === 'differential') return false;
  return true;
}

/** Counted conditions carrying any of the concept ids, in input order. */
export function conditionsWith(
  model: EligibilityModel,
  concepts: string[],
  options: { excludeDifferential?: boolean } = {},
): Diagnosis[] {
  return model.diagnoses.filter((dx) => conditionCounts(dx, options) && dx.concepts.some((c) => concepts.includes(c)));
}

/** No abatement on or before D, and clinicalStatus absent or active/recurrence/relapse. */
export function isActiveCondition(dx: Diagnosis, asOf: IsoDay): boolean {
  if (dx.abated) return false;
  if (dx.abatement && dx.abatement.latest <= asOf) return false;
  return dx.clinicalStatus === undefined || ACTIVE_CLINICAL.has(dx.clinicalStatus);
}
