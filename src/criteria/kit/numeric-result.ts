// Lab results and assessments (scores) seen the same way by the value blocks, plus values a
// derivation computes (derived-egfr.ts). Each keeps the ref of the record that gave it.

import type { DayRange } from '../../fhir/dates.js';
import type { Assessment, EligibilityModel, LabResult } from '../../mapping/model.js';
import { dateText } from '../common/labels.js';
import { assessmentsOf, labsOf } from '../common/results-by-test.js';
import { testDisplay } from '../common/missing-data.js';
import type { Comparator } from './compare.js';

export interface NumericResult {
  ref: string;
  test: string;
  date?: DayRange | undefined;
  value?: number | undefined;
  comparator?: Comparator | undefined;
  unit?: string | undefined;
  uln?: number | undefined;
  /** Why the value cannot be used (an unconvertible unit, no value …). */
  problem?: string | undefined;
  /** `HbA1c 7.2 % on 2026-09-01 (Observation/a1)`, for reasons. */
  label: string;
  /** Computed from other results (not reported): loses a same-day tie to a reported one. */
  derived: boolean;
}

/** `UACR 34 mg/mmol (300.6 mg/g) on 2026-08-30 (Observation/u)`: a converted value says so. */
function labLabel(model: EligibilityModel, l: LabResult | Assessment, test: string): string {
  const when = l.date ? ` on ${dateText(l.date)}` : ' (undated)';
  const converted = l.value !== undefined && l.unit !== undefined && l.valueText !== `${l.value} ${l.unit}` ? ` (${Math.round(l.value * 10) / 10} ${l.unit})` : '';
  return `${testDisplay(model, test)} ${l.valueText}${converted}${when} (${l.ref})`;
}

export function fromLab(model: EligibilityModel, l: LabResult): NumericResult {
  return {
    ref: l.ref,
    test: l.test,
    date: l.date,
    value: l.value,
    comparator: l.comparator,
    unit: l.unit,
    uln: l.uln,
    problem: l.valueProblem ?? (l.value === undefined ? 'no numeric value' : undefined),
    label: labLabel(model, l, l.test),
    derived: false,
  };
}

export function fromAssessment(model: EligibilityModel, a: Assessment): NumericResult {
  return {
    ref: a.ref,
    test: a.measure,
    date: a.date,
    value: a.value,
    unit: a.unit,
    problem: a.valueProblem ?? (a.value === undefined ? 'no numeric value' : undefined),
    label: labLabel(model, a, a.measure),
    derived: false,
  };
}

/** The reported results of these lab or measure ids, labs first. */
export function reportedResults(model: EligibilityModel, tests: readonly string[]): NumericResult[] {
  return [...labsOf(model, tests).map((l) => fromLab(model, l)), ...assessmentsOf(model, tests).map((a) => fromAssessment(model, a))];
}
