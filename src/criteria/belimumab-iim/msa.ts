// The myositis-specific antibodies (labs.yaml): lab ids `msa-*`. A positive one counts
// for both I2 (a PM / unspecified IIM diagnosis) and I3.

import type { EligibilityModel, LabResult } from '../../mapping/model.js';

export const MSA_TESTS = [
  'msa-jo1', 'msa-pl7', 'msa-pl12', 'msa-ej', 'msa-oj', 'msa-ks',
  'msa-srp', 'msa-mi2', 'msa-nxp2', 'msa-mda5', 'msa-tif1g', 'msa-sae',
];

export function isMsa(test: string): boolean {
  return MSA_TESTS.includes(test);
}

/** MSA results read positive, at any time up to D (the model holds nothing dated after D). */
export function positiveMsas(model: EligibilityModel): LabResult[] {
  return model.labs.filter((l) => isMsa(l.test) && l.positivity === 'positive');
}
