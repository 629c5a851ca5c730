// I1 (`inc-age`): age in whole years at D ≥ 18 ("adults >18" read as "has reached 18").
// Open: no birthDate → unknown, not manual. A partial birthDate decides only when its first
// and last possible days give the same answer.

import { ageRange, ageText } from '../common/age.js';
import { dateText } from '../common/labels.js';
import { missingBirthDate } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const criterion: Criterion = {
  id: 'inc-age',
  type: 'inclusion',
  evaluate(model) {
    const { patient, asOf } = model;
    const minYears = thresholdsOf(model)['inc-age'].minYears;
    const age = ageRange(patient, asOf);
    if (!age || !patient.birthDate) {
      const why = patient.birthDateProblem ? `the birth date cannot be read (${patient.birthDateProblem})` : 'no birth date on record';
      return undecided(why, {
        evidence: patient.birthDateProblem ? [patient.ref] : [],
        missingData: [missingBirthDate(model, `the patient's birth date (Patient.birthDate), to check age ≥ ${minYears}`)],
      });
    }
    const born = `born ${dateText(patient.birthDate)}`;
    if (age.youngest >= minYears) return decided('met', `${ageText(age)} on ${asOf} (${born}), at least ${minYears}`, [patient.ref]);
    if (age.oldest < minYears) return decided('not-met', `${ageText(age)} on ${asOf} (${born}), under ${minYears}`, [patient.ref]);
    return undecided(`${ageText(age)} on ${asOf}: the partial birth date ${dateText(patient.birthDate)} does not say whether ${minYears} was reached`, {
      evidence: [patient.ref],
      missingData: [missingBirthDate(model, `the exact birth date (Patient.birthDate is ${dateText(patient.birthDate)}), to check age ≥ ${minYears}`)],
    });
  },
};
