// Medication records whose part in a criterion the data leave open, weighed every way
// (criteria.md Common rules, codes.md §3):
//
// - *Possibly current*: a record that may or may not be current at D (a partial date, such as
//   an end of `2026-10` with D in October 2026). It is tried counted (current at D), left out,
//   and not current (ended before D: not the same as absent, since an end before D may be a
//   stop for E5 or a dose change for I8; a record whose start may be after D has no such state).
// - *Possibly systemic*: a glucocorticoid with neither a route nor a dose form. It counts for
//   nothing by itself (the model keeps it apart, in `possiblySystemic`); it is tried counted as
//   systemic and not counted.
//
// Where the results differ, the criterion is `unknown` and the reason names the records whose
// counting changes it (for a possibly-systemic one: the route is not recorded). Every
// combination of states is tried, up to MAX_COMBINED records (beyond that, every record in the
// same state), so no criterion special-cases them. With no doubtful record (nearly every patient)
// the criterion runs once, as written.

import { addDays, maxDay, minDay } from '../../fhir/dates.js';
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
  /** The record in each state it may be in (undefined: left out), named by STATE_NAMES. */
  states: (MedicationRecord | undefined)[];
}

/** State names by index: not counted, counted, and (possibly current only) not current. */
const STATE_NAMES: Record<Doubt, string[]> = {
  'possibly-current': ['left out', 'counted as current', 'not current (ended before D)'],
  'possibly-systemic': ['not counted', 'counted as systemic'],
};

const MAX_COMBINED = 3;

/** May or may not cover D: a partial date reaches D, and the span does not surely cover it. */
export function possiblyCurrent(m: MedicationRecord, D: string): boolean {
  if (!m.start) return false;
  const end = m.end ?? m.start;
  const surely = m.start.latest <= D && end.earliest >= D;
  return !surely && m.start.earliest <= D && end.latest >= D;
}

/** The record not current at D: ended before D, or (when its start may be after D) left out. */
function asNotCurrent(m: MedicationRecord, D: string): MedicationRecord | undefined {
  const start = m.start!;
  if (start.latest >= D) return undefined;
  const end = m.end ?? start;
  const dayBefore = addDays(D, -1);
  return { ...m, ongoing: false, end: { earliest: minDay(end.earliest, dayBefore), latest: minDay(end.latest, dayBefore) } };
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
    .map((m) => {
      const notCurrent = asNotCurrent(m, model.asOf);
      const states = [undefined, asCurrent(m, model.asOf)];
      if (notCurrent) states.push(notCurrent);
      return { record: m, doubt: 'possibly-current' as const, states };
    }),
);

function doubtfulOf(model: EligibilityModel, doubts: readonly Doubt[]): Doubtful[] {
  const out: Doubtful[] = [];
  if (doubts.includes('possibly-current') && model.medications.length > 0) out.push(...possiblyCurrentOf(model));
  if (doubts.includes('possibly-systemic')) {
    for (const m of model.possiblySystemic) if (medicationCounts(m)) out.push({ record: m, doubt: 'possibly-systemic', states: [undefined, m] });
  }
  return out;
}

/** The model with each doubtful record in the given state. */
function variant(model: EligibilityModel, doubtful: Doubtful[], state: number[]): EligibilityModel {
  const replace = new Map<MedicationRecord, MedicationRecord | undefined>();
  const added: MedicationRecord[] = [];
  doubtful.forEach((d, i) => {
    const as = d.states[state[i]!];
    if (d.doubt === 'possibly-systemic') {
      if (as) added.push(as);
    } else replace.set(d.record, as);
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

/** Every combination of states (or, past MAX_COMBINED records, every record in one state). */
function combinations(doubtful: Doubtful[]): number[][] {
  const widest = Math.max(...doubtful.map((d) => d.states.length));
  if (doubtful.length > MAX_COMBINED) {
    return Array.from({ length: widest }, (_, k) => doubtful.map((d) => Math.min(k, d.states.length - 1)));
  }
  let combos: number[][] = [[]];
  for (const d of doubtful) combos = combos.flatMap((c) => d.states.map((_, k) => [...c, k]));
  return combos;
}

/**
 * The criterion, weighing the given kinds of doubtful records. When every state gives one
 * result, the answer is the model's own (or, when it reads them otherwise, the one with none
 * counted); otherwise `unknown`, naming the records whose state changes the result.
 */
export function weighingDoubtfulRecords(criterion: Criterion, doubts: readonly Doubt[]): Criterion {
  return {
    id: criterion.id,
    type: criterion.type,
    evaluate(model) {
      const base = criterion.evaluate(model);
      const doubtful = doubtfulOf(model, doubts);
      if (doubtful.length === 0) return base;
      const combos = combinations(doubtful);
      const outcomes = combos.map((c) => criterion.evaluate(variant(model, doubtful, c)));
      const noneCounted = outcomes[0]!;
      if (outcomes.every((o) => o.result === noneCounted.result)) return base.result === noneCounted.result ? base : noneCounted;

      // Records whose state alone changes the result (all of them when only together they do).
      const key = (c: number[], skip: number) => c.map((v, j) => (j === skip ? '*' : v)).join();
      let deciding = doubtful.filter((_, i) => {
        const seen = new Map<string, CriterionResult>();
        return combos.some((c, k) => {
          const other = seen.get(key(c, i));
          if (other === undefined) seen.set(key(c, i), outcomes[k]!.result);
          return other !== undefined && other !== outcomes[k]!.result;
        });
      });
      if (deciding.length === 0) deciding = doubtful;

      // The reason: what each uniform state gives (all counted, none counted, all not current).
      const D = model.asOf;
      const uniform: string[] = [];
      const shown: CriterionOutcome[] = [];
      const widest = Math.max(...doubtful.map((d) => d.states.length));
      for (const k of [1, 0, 2].filter((s) => s < widest)) {
        const at = combos.findIndex((c) => c.every((v, i) => v === Math.min(k, doubtful[i]!.states.length - 1)));
        if (at < 0) continue;
        const names = [...new Set(deciding.map((d) => STATE_NAMES[d.doubt][Math.min(k, d.states.length - 1)]!))];
        uniform.push(`${listText(names)}: ${describe(outcomes[at]!)}`);
        shown.push(outcomes[at]!);
      }
      const reason = `${listText(deciding.map((d) => whyDoubtful(d, D)))}. ${capital(uniform.join('; '))}`;
      return undecided(reason, {
        evidence: [...deciding.map((d) => d.record.ref), ...shown.flatMap((o) => o.evidence)],
        missingData: [...deciding.map(missingFor), ...shown.flatMap((o) => (o.result === 'unknown' ? o.missingData : []))],
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
