// "met if <condition> is recorded, at any time" (E3, E15): closed, any clinical status.

import type { Criterion } from '../types.js';
import { conditionsWith } from './active-condition.js';
import { conditionLabel, listText } from './labels.js';
import { decided } from './outcome.js';

export function recordedConditionCriterion(id: string, concept: string, name: string): Criterion {
  return {
    id,
    type: 'exclusion',
    evaluate(model) {
      const found = conditionsWith(model, [concept]);
      if (found.length > 0) return decided('met', `${name} recorded: ${listText(found.map(conditionLabel))}`, found.map((d) => d.ref));
      return decided('not-met', `no ${name} on record`);
    },
  };
}
