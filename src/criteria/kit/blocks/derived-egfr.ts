// eGFR computed from serum creatinine with the CKD-EPI 2021 (race-free) equation, as a derived
// result that competes with reported eGFR results (latest-value.ts: the later wins; on the same
// day the reported one):
//
//   eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 × 0.9938^A × (1.012 if female)
//   κ = 0.7, α = −0.241 for a female; κ = 0.9, α = −0.302 for a male
//
// Scr in mg/dL (the creatinine lab's unit converted by UCUM; the mapping's molar factor already
// turned µmol/L into mg/dL), A the age in whole years on the creatinine's date. The result is
// rounded to one decimal before it is compared. No computed value (missing, with the reason)
// for a gender other than male or female, no birth date, an age the dates leave open, a
// creatinine written with a comparator, or one with no usable value.

import { wholeYears, type DayRange } from '../../../fhir/dates.js';
import type { EligibilityModel, PatientInfo } from '../../../mapping/model.js';
import { convert } from '../../../mapping/units.js';
import type { NumericResult } from '../numeric-result.js';
import { reportedResults } from '../numeric-result.js';

export const EGFR_UNIT = 'mL/min/{1.73_m2}';
const CREATININE_UNIT = 'mg/dL';

/** The CKD-EPI 2021 eGFR, rounded to one decimal. */
export function ckdEpi2021(creatinineMgDl: number, ageYears: number, sex: 'male' | 'female'): number {
  const female = sex === 'female';
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const r = creatinineMgDl / kappa;
  const egfr = 142 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.2 * 0.9938 ** ageYears * (female ? 1.012 : 1);
  return Math.round(egfr * 10) / 10;
}

/** Whole years on a (possibly partial) date, when the dates fix it. */
function ageOn(patient: PatientInfo, date: DayRange): number | string {
  if (!patient.birthDate) return 'the patient has no birth date';
  const youngest = wholeYears(patient.birthDate.latest, date.earliest);
  const oldest = wholeYears(patient.birthDate.earliest, date.latest);
  return youngest === oldest ? youngest : `the age on that date is ${youngest} or ${oldest}`;
}

/** One computed eGFR per creatinine result of these lab ids (those that cannot be computed carry the reason). */
export function derivedEgfr(model: EligibilityModel, creatinineTests: readonly string[]): NumericResult[] {
  const gender = model.patient.gender;
  return reportedResults(model, creatinineTests).map((scr) => {
    const out: NumericResult = { ref: scr.ref, test: 'egfr-ckd-epi-2021', date: scr.date, derived: true, label: '' };
    const problem = egfrProblem(scr, model.patient, gender);
    if (typeof problem === 'string') {
      out.problem = `no eGFR computed from ${scr.label}: ${problem}`;
      out.label = `eGFR not computable from ${scr.label}`;
      return out;
    }
    out.value = ckdEpi2021(problem.scr, problem.age, gender as 'male' | 'female');
    out.unit = EGFR_UNIT;
    out.label = `eGFR ${out.value} ${EGFR_UNIT} computed by CKD-EPI 2021 from ${scr.label}`;
    return out;
  });
}

function egfrProblem(scr: NumericResult, patient: PatientInfo, gender: string | undefined): string | { scr: number; age: number } {
  if (gender !== 'male' && gender !== 'female') return `CKD-EPI 2021 needs a gender of male or female (${gender ?? 'none'} recorded)`;
  if (scr.problem !== undefined || scr.value === undefined || scr.unit === undefined) return scr.problem ?? 'no numeric value';
  if (scr.comparator !== undefined) return `the value is written with '${scr.comparator}'`;
  if (!scr.date) return 'the creatinine has no date, so the age is unknown';
  const mgDl = convert(scr.value, scr.unit, CREATININE_UNIT);
  if (mgDl === undefined) return `unit '${scr.unit}' cannot be converted to ${CREATININE_UNIT}`;
  if (!(mgDl > 0)) return 'the value is not positive';
  const age = ageOn(patient, scr.date);
  return typeof age === 'string' ? age : { scr: mgDl, age };
}
