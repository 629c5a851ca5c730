// Criteria this version does not evaluate yet (a later issue completes them). They are open,
// not manual: the record may decide them once they are implemented.

import type { Criterion, CriterionType } from '../types.js';
import { undecided } from './outcome.js';

export const NOT_EVALUATED_REASON = 'not evaluated in this version';

export function notEvaluated(id: string, type: CriterionType, what: string): Criterion {
  return {
    id,
    type,
    evaluate: () =>
      undecided(NOT_EVALUATED_REASON, {
        missingData: [{ text: `${what}: review the record until this criterion is evaluated automatically` }],
      }),
  };
}
