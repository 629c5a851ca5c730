// One summary of how often each rule misled, merging the two places people correct the
// service: clinicians overriding a CDS card that flagged the criterion (cds-feedback-store),
// and coordinators recording a screen-failure on it. A screen-failure "missed" when the service
// had not failed that criterion (it let the patient through), and "agreed" when it had.

import type { CriterionFeedbackRow } from '../storage/cds-feedback-store.js';
import type { ScreenFailCount } from '../storage/decision-store.js';
import type { CriterionDefinition } from '../mapping/study.js';

export interface CriterionSummaryRow {
  criterion: string;
  seed: string;
  title: string;
  type: 'inclusion' | 'exclusion';
  cds: {
    cards: number;
    accepted: number;
    overridden: number;
    overrideReasons: CriterionFeedbackRow['reasons'];
  };
  screenFailures: { total: number; missed: number; agreed: number };
  /** CDS overrides plus screen-failures the service missed. */
  misled: number;
}

/** For an inclusion, not-met fails; for an exclusion, met fails. */
export function fails(type: 'inclusion' | 'exclusion', result: string | undefined): boolean {
  return type === 'inclusion' ? result === 'not-met' : result === 'met';
}

export function criterionSummary(
  criteria: readonly CriterionDefinition[],
  cds: readonly CriterionFeedbackRow[],
  screenFailures: readonly ScreenFailCount[],
): CriterionSummaryRow[] {
  const cdsBy = new Map(cds.map((r) => [r.criterion, r]));
  return criteria.map((c) => {
    const card = cdsBy.get(c.id);
    let missed = 0;
    let agreed = 0;
    for (const f of screenFailures) {
      if (f.criterion !== c.id) continue;
      if (fails(c.type, f.criterionResult)) agreed += f.count;
      else missed += f.count;
    }
    const overridden = card?.overridden ?? 0;
    return {
      criterion: c.id,
      seed: c.seed,
      title: c.title,
      type: c.type,
      cds: { cards: card?.cards ?? 0, accepted: card?.accepted ?? 0, overridden, overrideReasons: card?.reasons ?? [] },
      screenFailures: { total: missed + agreed, missed, agreed },
      misled: overridden + missed,
    };
  });
}
