// Builders for CriterionOutcome, so every criterion fills the contract the same way: a decided
// result is never manual, and evidence is cited once in input order.

import type { IsoDay } from '../../fhir/dates.js';
import type { CriterionOutcome, CriterionType, MissingData } from '../types.js';

export function uniqueRefs(refs: Iterable<string>): string[] {
  if (!Array.isArray(refs)) return [...new Set(refs)];
  // Most evidence lists are a handful of refs: a scan of the list beats building a Set (which
  // hashes each ref) at every criterion of every patient.
  const list = refs as readonly string[];
  if (list.length > 16) return [...new Set(list)];
  const out: string[] = [];
  for (const ref of list) if (!out.includes(ref)) out.push(ref);
  return out;
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

/** A criterion that does not apply is favourable, and says why. */
export function doesNotApply(type: CriterionType, reason: string, evidence: Iterable<string> = []): CriterionOutcome {
  return decided(type === 'inclusion' ? 'met' : 'not-met', reason, evidence);
}
