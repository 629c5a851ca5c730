// generateCohort(): a lazy, seeded stream of synthetic patients, one population for both
// studies: ~1 % myositis patients (belimumab-iim), ~10 % of adults with type 2 diabetes
// (glp1-ckd, a third of them with CKD), and everyone else. Patient i depends only on (seed, i)
// and on how many patients of its study came before it, so the same options always give the
// same patients in the same order.

import { parseIsoDay } from '../../src/fhir/dates.js';
import { Calendar } from './calendar.js';
import { basePlan } from './myositis-plan.js';
import { writeMyositisPatient } from './myositis-history.js';
import { type Person, writePatient } from './patient-demographics.js';
import { Rng } from './random.js';
import { RecordBuilder } from './record-builder.js';
import type { GeneratedPatient } from './resource.js';
import { routineHistory } from './routine-history.js';
import { type Scenario, scenarioFor } from './myositis-scenarios.js';
import type { Subtype } from './study-vocabulary.js';
import { expectedStatus, type Glp1Scenario, glp1ScenarioFor } from './glp1-scenarios.js';
import { writeT2dPatient } from './t2d-history.js';
import { favourableT2dPlan, typicalT2dPlan } from './t2d-plan.js';

/**
 * The library's default date, fixed so that tests and benchmarks get the same bytes every day.
 * `npm run generate` defaults to today instead (scripts/generate.ts), as the finder does.
 */
export const DEFAULT_AS_OF = '2026-10-26';
export const DEFAULT_MYOSITIS_RATE = 0.01;
export const DEFAULT_T2D_RATE = 0.1;

/** Share of adults among ordinary patients (the age weights in ordinaryPatient()). */
const ADULT_SHARE = 0.78;

export interface CohortOptions {
  patients: number;
  seed: number | string;
  /** `YYYY-MM-DD`; every date in the cohort is relative to it (default 2026-10-26). */
  asOf?: string;
  /** Share of myositis patients, 0–1 (default 0.01); 0 leaves belimumab-iim's population out. */
  myositisRate?: number;
  /**
   * Share of the other adults with type 2 diabetes, 0–1 (default 0.1): the glp1-ckd population.
   * 0 leaves it out; 1 makes every non-myositis patient one.
   */
  t2dRate?: number;
}

export function resolveOptions(o: CohortOptions): Required<CohortOptions> {
  const asOf = parseIsoDay(o.asOf ?? DEFAULT_AS_OF);
  if (!asOf) throw new Error(`asOf must be YYYY-MM-DD, got ${String(o.asOf)}`);
  const myositisRate = o.myositisRate ?? DEFAULT_MYOSITIS_RATE;
  if (!(myositisRate >= 0 && myositisRate <= 1)) throw new Error('myositisRate must be between 0 and 1');
  const t2dRate = o.t2dRate ?? DEFAULT_T2D_RATE;
  if (!(t2dRate >= 0 && t2dRate <= 1)) throw new Error('t2dRate must be between 0 and 1');
  if (!Number.isInteger(o.patients) || o.patients < 0) throw new Error('patients must be a non-negative integer');
  return { patients: o.patients, seed: o.seed, asOf, myositisRate, t2dRate };
}

/**
 * The share of non-myositis patients drawn as T2D patients so that `rate` of the adults among
 * them have T2D: T2D patients are all adults, ordinary ones adults at ADULT_SHARE.
 */
function t2dShare(rate: number): number {
  return (ADULT_SHARE * rate) / (1 - (1 - ADULT_SHARE) * rate);
}

export function* generateCohort(options: CohortOptions): Generator<GeneratedPatient, void, undefined> {
  const o = resolveOptions(options);
  const cal = new Calendar(o.asOf);
  const t2d = t2dShare(o.t2dRate);
  let ordinal = 0;
  let t2dOrdinal = 0;
  for (let i = 0; i < o.patients; i++) {
    const rng = new Rng(`${String(o.seed)}:${i}`);
    if (rng.next() < o.myositisRate) {
      yield myositisPatient(rng, cal, scenarioFor(ordinal++, rng));
    } else if (rng.next() < t2d) {
      yield t2dPatient(rng, cal, glp1ScenarioFor(t2dOrdinal++));
    } else {
      yield ordinaryPatient(rng, cal);
    }
  }
}

/** A glp1-ckd patient: a boundary scenario on the favourable plan, or a typical T2D patient. */
export function t2dPatient(rng: Rng, cal: Calendar, scenario: Glp1Scenario): GeneratedPatient {
  const b = new RecordBuilder(rng, cal);
  const boundary = scenario.criterion !== undefined;
  const plan = boundary ? favourableT2dPlan(rng, cal) : typicalT2dPlan(rng, cal);
  scenario.apply?.(plan, rng, cal);
  writeT2dPatient(b, plan, boundary);
  const tag: GeneratedPatient['scenario'] = { study: 'glp1-ckd', name: scenario.name };
  if (scenario.criterion) tag.criterion = scenario.criterion;
  if (scenario.expect) tag.expect = scenario.expect;
  if (scenario.expect === 'unknown') tag.manual = scenario.manual === true;
  const status = expectedStatus(scenario);
  if (status) tag.status = status;
  return { patientId: b.patientId, scenario: tag, resources: b.resources };
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
  const tag: GeneratedPatient['scenario'] = { study: 'belimumab-iim', name: scenario.name };
  if (scenario.criterion) tag.criterion = scenario.criterion;
  if (scenario.expect) tag.expect = scenario.expect;
  return { patientId: b.patientId, scenario: tag, resources: b.resources };
}
