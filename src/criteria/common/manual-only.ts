// Criteria only a person can decide (study.yaml marks them manual): always `unknown`,
// manual, with the reason saying what the person checks.

import type { Criterion, CriterionType } from '../types.js';
import { undecided } from './outcome.js';

export function manualOnly(id: string, type: CriterionType, reason: string): Criterion {
  return { id, type, evaluate: () => undecided(reason, { manual: true }) };
}
