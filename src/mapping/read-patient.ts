// Patient → PatientInfo: gender, birthDate as a range, deceased (boolean, or a date on or
// before D). A deceased date that straddles D (a partial date) counts as deceased: screening
// someone who may have died is the worse error.

import { rangeOnOrBefore, type IsoDay } from '../fhir/dates.js';
import type { RecordEntry } from '../ingest/patient-record.js';
import type { CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { readDate } from './fhir-values.js';
import type { PatientInfo } from './model.js';

export function readPatient(study: CompiledStudy, entry: RecordEntry, patientId: string, asOf: IsoDay): PatientInfo {
  const x = new Extraction(study.extract.Patient, entry.resource);
  const info: PatientInfo = { ref: entry.ref || `Patient/${patientId}`, id: patientId, deceased: false };
  const gender = x.one('gender');
  if (typeof gender === 'string') info.gender = gender;
  const problems: string[] = [];
  const birth = x.one('birthDate');
  const birthDate = readDate(birth, 'birthDate', problems);
  if (birthDate) info.birthDate = birthDate;
  else if (birth !== undefined) info.birthDateProblem = problems[0] ?? 'birthDate could not be read';
  const deceased = x.one('deceased');
  if (deceased === true) info.deceased = true;
  else if (typeof deceased === 'string') {
    const date = readDate(deceased, 'deceasedDateTime', problems);
    if (date && rangeOnOrBefore(date, asOf) !== 'no') {
      info.deceased = true;
      info.deceasedDate = date;
    }
  }
  return info;
}
