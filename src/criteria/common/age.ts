// Age is whole anniversaries reached by D. A partial birthDate gives a range
// of ages: the oldest from its first possible day, the youngest from its last.

import { wholeYears, type IsoDay } from '../../fhir/dates.js';
import type { PatientInfo } from '../../mapping/model.js';

export interface AgeRange {
  youngest: number;
  oldest: number;
}

export function ageRange(patient: PatientInfo, asOf: IsoDay): AgeRange | undefined {
  if (!patient.birthDate) return undefined;
  return { youngest: wholeYears(patient.birthDate.latest, asOf), oldest: wholeYears(patient.birthDate.earliest, asOf) };
}

export function ageText(age: AgeRange): string {
  return age.youngest === age.oldest ? `${age.youngest} years old` : `${age.youngest} or ${age.oldest} years old`;
}
