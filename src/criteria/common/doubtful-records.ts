// Medication records whose part in a criterion the data leave open, weighed both ways
// (criteria.md Common rules, codes.md §3):
//
// - *Possibly current*: a record that may or may not be current at D (a partial date, such as
//   an end of `2026-10` with D in October 2026). Where counting it (current at D) or leaving it
//   out gives different results, the criterion is `unknown` and the reason names the record.
// - *Possibly systemic*: a glucocorticoid with neither a route nor a dose form. It counts for
//   nothing by itself (the model keeps it apart, in `possiblySystemic`); where counting it as
//   systemic would change the result, the criterion is `unknown` and the reason says the route
//   is not recorded.
//
// The criterion is evaluated on the model with each doubtful record counted and left out (every
// combination, up to MAX_COMBINED records; beyond that all counted against all left out) and the
// results compared, so no criterion special-cases them. With no doubtful record (nearly every
// patient) the criterion runs once, as written.

import { maxDay, minDay } from '../../fhir/dates.js';
import type { EligibilityModel, MedicationRecord } from '../../mapping/model.js';
import type { Criterion, CriterionOutcome, CriterionResult } from '../types.js';
import { dateText, listText, medicationLabel } from './labels.js';
import { medicationCounts } from './medication-records.js';
import { missingRecordDetail } from './missing-data.js';
import { memoOnModel } from './model-memo.js';
import { undecided } from './outcome.js';

export type Doubt = 'possibly-current' | 'possibly-systemic';

interface Doubtful {
  record: MedicationRecord;
  doubt: Doubt;
  /** The record as counted: current at D, or systemic. */
  counted: MedicationRecord;
}

const MAX_COMBINED = 4;

/** May or may not cover D: a partial date reaches D, and the span does not surely cover it. */
export function possiblyCurrent(m: MedicationRecord, D: string): boolean {
  if (!m.start) return false;
  const end = m.end ?? m.start;
  const surely = m.start.latest <= D && end.earliest >= D;
  return !surely && m.start.earliest <= D && end.latest >= D;
}

/** The record with a span that surely covers D (its dates allow it). */
function asCurrent(m: MedicationRecord, D: string): MedicationRecord {
  const start = m.start!;
  const end = m.end ?? start;
  return { ...m, start: { earliest: start.earliest, latest: minDay(start.latest, D) }, end: { earliest: maxDay(end.earliest, D), latest: end.latest } };
}

const possiblyCurrentOf = memoOnModel('possibly current records', (model: EligibilityModel): Doubtful[] =>
  model.medications
    .filter((m) => medicationCounts(m) && possiblyCurrent(m, model.asOf))
    .map((m) => ({ record: m, doubt: 'possibly-current' as const, counted: asCurrent(m, model.asOf) })),
);

function doubtfulOf(model: EligibilityModel, doubts: readonly Doubt[]): Doubtful[] {
  const out: Doubtful[] = [];
  if (doubts.includes('possibly-current') && model.medications.length > 0) out.push(...possiblyCurrentOf(model));
  if (doubts.includes('possibly-systemic')) {
    for (const m of model.possiblySystemic) if (medicationCounts(m)) out.push({ record: m, doubt: 'possibly-systemic', counted: m });
  }
  return out;
}

/** The model with each doubtful record counted (true) or left out (false). */
function variant(model: EligibilityModel, doubtful: Doubtful[], counted: boolean[]): EligibilityModel {
  const replace = new Map<MedicationRecord, MedicationRecord | undefined>();
  const added: MedicationRecord[] = [];
  doubtful.forEach((d, i) => {
    if (d.doubt === 'possibly-systemic') {
      if (counted[i]) added.push(d.counted);
    } else replace.set(d.record, counted[i] ? d.counted : undefined);
  });
  const medications: MedicationRecord[] = [];
  for (const m of model.medications) {
    if (!replace.has(m)) medications.push(m);
    else if (replace.get(m)) medications.push(replace.get(m)!);
  }
  medications.push(...added);
  // A fresh object: what criteria derive from a model (the timeline) is kept per model object.
  return { ...model, medications, possiblySystemic: [] };
}

function whyDoubtful(d: Doubtful, D: string): string {
  if (d.doubt === 'possibly-systemic') return `${medicationLabel(d.record)} has neither a route nor a dose form: the route is not recorded, so it may or may not be systemic`;
  const start = d.record.start!;
  const end = d.record.end ?? start;
  return `${medicationLabel(d.record)} may or may not be current at ${D}: its dates (${dateText(start)} to ${dateText(end)}) do not say`;
}

function missingFor(d: Doubtful): ReturnType<typeof missingRecordDetail> {
  return d.doubt === 'possibly-systemic'
    ? missingRecordDetail(d.record.ref, `the route of ${d.record.display} (${d.record.ref})`)
    : missingRecordDetail(d.record.ref, `the exact dates of ${d.record.display} (${d.record.ref})`);
}

function countedText(d: Doubtful): string {
  return d.doubt === 'possibly-systemic' ? 'counted as systemic' : 'counted as current';
}

/**
 * The criterion, weighing the given kinds of doubtful records. When every way of counting them
 * gives one result, the answer is the one with them left out (or as the model reads them, when
 * that agrees); otherwise `unknown`, naming the records whose counting changes the result.
 */
export function weighingDoubtfulRecords(criterion: Criterion, doubts: readonly Doubt[]): Criterion {
  return {
    id: criterion.id,
    type: criterion.type,
    evaluate(model) {
      const base = criterion.evaluate(model);
      const doubtful = doubtfulOf(model, doubts);
      if (doubtful.length === 0) return base;
      const n = doubtful.length;
      const combos: boolean[][] = [];
      if (n <= MAX_COMBINED) {
        for (let mask = 0; mask < 1 << n; mask++) combos.push(doubtful.map((_, i) => (mask & (1 << i)) !== 0));
      } else combos.push(doubtful.map(() => false), doubtful.map(() => true));
      const outcomes = combos.map((c) => criterion.evaluate(variant(model, doubtful, c)));
      const results = new Set<CriterionResult>(outcomes.map((o) => o.result));
      const leftOut = outcomes[0]!;
      if (results.size === 1) return base.result === leftOut.result ? base : leftOut;

      // Records whose counting alone changes the result (all of them when only together they do).
      let deciding = doubtful.filter((_, i) => combos.some((c, k) => {
        if (c[i]) return false;
        const flipped = combos.findIndex((o) => o[i] && o.every((v, j) => j === i || v === c[j]));
        return flipped >= 0 && outcomes[flipped]!.result !== outcomes[k]!.result;
      }));
      if (deciding.length === 0) deciding = doubtful;
      const allCounted = outcomes[outcomes.length - 1]!;
      const D = model.asOf;
      const counted = listText([...new Set(deciding.map(countedText))]);
      const reason =
        `${listText(deciding.map((d) => whyDoubtful(d, D)))}. ` +
        `${capital(counted)}: ${describe(allCounted)}; left out: ${describe(leftOut)}`;
      return undecided(reason, {
        evidence: [...deciding.map((d) => d.record.ref), ...allCounted.evidence, ...leftOut.evidence],
        missingData: [...deciding.map(missingFor), ...(allCounted.result === 'unknown' ? allCounted.missingData : []), ...(leftOut.result === 'unknown' ? leftOut.missingData : [])],
      });
    },
  };
}

function describe(o: CriterionOutcome): string {
  return `${o.result} (${o.reason})`;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
