// The earliest onset of a condition that counts for `inc-diagnosis` (DM, PM or unspecified IIM;
// refuted, entered-in-error and differential diagnoses do not count), read by I4 and I7. An
// event's date is the Condition's onset, else its recordedDate (a rule every criterion shares).

import type { DayRange } from '../../fhir/dates.js';
import type { Diagnosis, EligibilityModel } from '../../mapping/model.js';
import { conditionsWith } from '../common/active-condition.js';

export const DIAGNOSIS_CONCEPTS = ['dx-dm', 'dx-pm', 'dx-iim-unspecified'];

export interface DiagnosisOnset {
  diagnoses: Diagnosis[];
  /** Bounds of the earliest onset over the dated diagnoses. */
  earliest?: DayRange;
  /** The diagnosis that gives the earliest possible onset, for reasons and evidence. */
  first?: Diagnosis;
  /** Diagnoses with neither an onset nor a recorded date. */
  undated: Diagnosis[];
}

export function onsetOf(dx: Diagnosis): DayRange | undefined {
  return dx.onset ?? dx.recorded;
}

export function diagnosisOnset(model: EligibilityModel): DiagnosisOnset {
  const diagnoses = conditionsWith(model, DIAGNOSIS_CONCEPTS, { excludeDifferential: true });
  const dated = diagnoses.filter((d) => onsetOf(d));
  const out: DiagnosisOnset = { diagnoses, undated: diagnoses.filter((d) => !onsetOf(d)) };
  if (dated.length > 0) {
    const sorted = [...dated].sort((a, b) => {
      const x = onsetOf(a)!;
      const y = onsetOf(b)!;
      if (x.earliest !== y.earliest) return x.earliest < y.earliest ? -1 : 1;
      return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
    });
    out.first = sorted[0]!;
    out.earliest = {
      earliest: sorted.map((d) => onsetOf(d)!.earliest).reduce((a, b) => (b < a ? b : a)),
      latest: sorted.map((d) => onsetOf(d)!.latest).reduce((a, b) => (b < a ? b : a)),
    };
  }
  return out;
}

/** `onset 2019-03` / `recorded 2019-03-05` of a diagnosis. */
export function onsetField(dx: Diagnosis): 'onset' | 'recorded date' {
  return dx.onset ? 'onset' : 'recorded date';
}
