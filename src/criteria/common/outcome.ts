// Builders for CriterionOutcome, so every criterion fills the contract the same way: a decided
// result is never manual, and evidence is cited once in input order.

import type { IsoDay } from '../../fhir/dates.js';
import type { CriterionOutcome, CriterionType, MissingData } from '../types.js';

export function uniqueRefs(refs: Iterable<string>): string[] {
  return [...new Set(refs)];
}

export function decided(
  result: 'met' | 'not-met',
  reason: string,
  evidence: Iterable<string> = [],
  clearsOn?: IsoDay,
): CriterionOutcome {
  const outcome: CriterionOutcome = { result, manual: false, reason, evidence: uniqueRefs(evidence), missingData: [] };
  if (clearsOn !== undefined) outcome.clearsOn = clearsOn;
  return outcome;
}

export interface UndecidedOptions {
  missingData?: MissingData[];
  evidence?: Iterable<string>;
  manual?: boolean;
}

export function undecided(reason: string, options: UndecidedOptions = {}): CriterionOutcome {
  const missing = new Map<string, MissingData>();
  for (const m of options.missingData ?? []) if (!missing.has(m.text)) missing.set(m.text, m);
  return {
    result: 'unknown',
    manual: options.manual ?? false,
    reason,
    evidence: uniqueRefs(options.evidence ?? []),
    missingData: [...missing.values()],
  };
}

/** criteria.md: a criterion that does not apply is favourable, and says why. */
export function doesNotApply(type: CriterionType, reason: string, evidence: Iterable<string> = []): CriterionOutcome {
  return decided(type === 'inclusion' ? 'met' : 'not-met', reason, evidence);
}
