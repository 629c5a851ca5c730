// I10 (`inc-consent`): ability to understand and consent — only a person can decide. But a
// deceased patient (deceasedBoolean, or deceasedDateTime on or before D) fails it, with the date,
// so the status is ineligible (a deceased patient is never a candidate).

import { rangeOnOrBefore } from '../../fhir/dates.js';
import { dateText } from '../common/labels.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';

const PERSON_DECIDES = 'ability to understand and give informed consent: the study team assesses it at the screening visit';

export const criterion: Criterion = {
  id: 'inc-consent',
  type: 'inclusion',
  evaluate(model) {
    const { patient, asOf } = model;
    if (patient.deceasedDate) {
      const when = rangeOnOrBefore(patient.deceasedDate, asOf);
      if (when === 'yes') return decided('not-met', `the patient died on ${dateText(patient.deceasedDate)}`, [patient.ref]);
      if (when === 'maybe') {
        return undecided(`the recorded date of death ${dateText(patient.deceasedDate)} may fall after ${asOf}; ${PERSON_DECIDES}`, {
          manual: true,
          evidence: [patient.ref],
        });
      }
      return undecided(`the recorded date of death ${dateText(patient.deceasedDate)} is after ${asOf}; ${PERSON_DECIDES}`, {
        manual: true,
        evidence: [patient.ref],
      });
    }
    if (patient.deceased) return decided('not-met', 'the patient is recorded as deceased (date of death not given)', [patient.ref]);
    return undecided(PERSON_DECIDES, { manual: true });
  },
};
