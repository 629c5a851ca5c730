// What a kit block or combination returns: the CriterionOutcome every criterion returns, plus,
// for an `unknown`, which decided results more record data could still give. That is what makes
// the manual rule of combinations exact (kleene.ts): an `unknown` is manual when no settling of
// its open parts could decide it. `toCriterionOutcome` drops the extra field before a result
// leaves the kit.

import type { IsoDay } from '../../fhir/dates.js';
import { decided, undecided, uniqueRefs } from '../common/outcome.js';
import type { CriterionOutcome, MissingData } from '../types.js';

export type Decided = 'met' | 'not-met';

export interface KitOutcome extends CriterionOutcome {
  /**
   * Only with `unknown`: the decided results that settling its open (non-manual) unknown parts
   * could still give. Empty exactly when it is manual. Absent on a block's own `unknown`: then
   * it is `[]` when manual and both results otherwise.
   */
  couldBecome?: Decided[];
}

/** A decided block result (never manual); clearsOn is the first later D that changes it by time alone. */
export function kitDecided(result: Decided, reason: string, evidence: Iterable<string> = [], clearsOn?: IsoDay): KitOutcome {
  return decided(result, reason, evidence, clearsOn);
}

/** An `unknown` more record data may decide; missingData says what would. */
export function kitOpen(reason: string, missingData: MissingData[], evidence: Iterable<string> = []): KitOutcome {
  return undecided(reason, { missingData, evidence });
}

/** An `unknown` only a person can decide. */
export function kitManual(reason: string, evidence: Iterable<string> = [], missingData: MissingData[] = []): KitOutcome {
  return undecided(reason, { missingData, evidence, manual: true });
}

/** The decided results an outcome may still take, whether decided now or not. */
export function reachable(o: KitOutcome): Decided[] {
  if (o.result !== 'unknown') return [o.result];
  if (o.couldBecome) return o.couldBecome;
  return o.manual ? [] : ['met', 'not-met'];
}

/** The outcome as a criterion returns it (without `couldBecome`). */
export function toCriterionOutcome(o: KitOutcome): CriterionOutcome {
  const out: CriterionOutcome = { result: o.result, manual: o.manual, reason: o.reason, evidence: uniqueRefs(o.evidence), missingData: o.missingData };
  if (o.clearsOn !== undefined) out.clearsOn = o.clearsOn;
  return out;
}
