// Which AllergyIntolerance records count: refuted or entered-in-error ones do not.

import type { AllergyRecord } from '../../mapping/model.js';

const NOT_COUNTED_VERIFICATION = new Set(['refuted', 'entered-in-error']);

export function allergyCounts(a: AllergyRecord): boolean {
  return a.verificationStatus === undefined || !NOT_COUNTED_VERIFICATION.has(a.verificationStatus);
}
