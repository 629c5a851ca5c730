// Block `patient-alive`: not-met for a deceased patient (deceasedBoolean, or a deceasedDateTime
// on or before D; the mapping counts a partial date straddling D as deceased), met otherwise.
// Composed with `manual` it gives "a person decides, unless the patient has died" (consent).

import Type, { type Static } from 'typebox';
import type { EligibilityModel } from '../../../mapping/model.js';
import { dateText } from '../../common/labels.js';
import { kitDecided, type KitOutcome } from '../outcome.js';

export const PatientAliveParams = Type.Object({}, { additionalProperties: false });
export type PatientAliveParams = Static<typeof PatientAliveParams>;

export function patientAlive(model: EligibilityModel, _p: PatientAliveParams): KitOutcome {
  const { patient } = model;
  if (!patient.deceased) return kitDecided('met', 'the patient is not recorded as deceased', [patient.ref]);
  const when = patient.deceasedDate ? ` (date of death ${dateText(patient.deceasedDate)})` : ' (date of death not given)';
  return kitDecided('not-met', `the patient is recorded as deceased${when}`, [patient.ref]);
}
