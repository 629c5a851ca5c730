// generateCohort(): a lazy, seeded stream of synthetic patients. Patient i depends only on
// (seed, i) and, for myositis patients, on how many myositis patients came before it, so the
// same options always give the same patients in the same order.

import { parseIsoDay } from '../fhir/dates.js';
import { Calendar } from './calendar.js';
import { basePlan } from './myositis-plan.js';
import { writeMyositisPatient } from './myositis-history.js';
import { type Person, writePatient } from './patient-demographics.js';
import { Rng } from './random.js';
import { RecordBuilder } from './record-builder.js';
import type { GeneratedPatient } from './resource.js';
import { routineHistory } from './routine-history.js';
import { type Scenario, scenarioFor } from './scenarios.js';
import type { Subtype } from './study-vocabulary.js';

/**
 * The library's default date, fixed so that tests and benchmarks get the same bytes every day.
 * `npm run generate` defaults to today instead (scripts/generate.ts), as the finder does.
 */
export const DEFAULT_AS_OF = '2026-10-26';
export const DEFAULT_MYOSITIS_RATE = 0.01;

export interface CohortOptions {
  patients: number;
  seed: number | string;
  /** `YYYY-MM-DD`; every date in the cohort is relative to it (default 2026-10-26). */
  asOf?: string;
  /** Share of myositis patients, 0–1 (default 0.01). */
  myositisRate?: number;
}

export function resolveOptions(o: CohortOptions): Required<CohortOptions> {
  const asOf = parseIsoDay(o.asOf ?? DEFAULT_AS_OF);
  if (!asOf) throw new Error(`asOf must be YYYY-MM-DD, got ${String(o.asOf)}`);
  const myositisRate = o.myositisRate ?? DEFAULT_MYOSITIS_RATE;
  if (!(myositisRate >= 0 && myositisRate <= 1)) throw new Error('myositisRate must be between 0 and 1');
  if (!Number.isInteger(o.patients) || o.patients < 0) throw new Error('patients must be a non-negative integer');
  return { patients: o.patients, seed: o.seed, asOf, myositisRate };
}

export function* generateCohort(options: CohortOptions): Generator<GeneratedPatient, void, undefined> {
  const o = resolveOptions(options);
  const cal = new Calendar(o.asOf);
  let ordinal = 0;
  for (let i = 0; i < o.patients; i++) {
    const rng = new Rng(`${String(o.seed)}:${i}`);
    if (rng.next() < o.myositisRate) {
      yield myositisPatient(rng, cal, scenarioFor(ordinal++, rng));
    } else {
      yield ordinaryPatient(rng, cal);
    }
  }
}

function ordinaryPatient(rng: Rng, cal: Calendar): GeneratedPatient {
  const b = new RecordBuilder(rng, cal);
  const age = rng.weighted([[[0, 17], 22], [[18, 39], 28], [[40, 64], 32], [[65, 95], 18]] as const);
  const birthDay = cal.yearsAgo(rng.int(age[0], age[1])) - rng.int(0, 364);
  const person: Person = { gender: rng.chance(0.51) ? 'female' : 'male', birthDay };
  if (rng.chance(0.02)) person.deceasedDay = Math.max(birthDay + 30, cal.today - rng.int(10, 3650));
  writePatient(b, person);
  routineHistory(b, person, { clean: false, intensity: 1 });
  return { patientId: b.patientId, resources: b.resources };
}

export function myositisPatient(rng: Rng, cal: Calendar, scenario: Scenario): GeneratedPatient {
  const b = new RecordBuilder(rng, cal);
  const subtype: Subtype = scenario.subtype ?? rng.weighted([['dm', 6], ['pm', 3], ['iim', 1]] as const);
  const plan = basePlan(rng, cal, subtype);
  scenario.apply?.(plan, rng, cal);
  writeMyositisPatient(b, plan);
  const tag: GeneratedPatient['scenario'] = { name: scenario.name };
  if (scenario.criterion) tag.criterion = scenario.criterion;
  if (scenario.expect) tag.expect = scenario.expect;
  return { patientId: b.patientId, scenario: tag, resources: b.resources };
}
