// E14 (`exc-hiv`): `met` if HIV infection is recorded (any clinical status, any time) or any
// HIV test is positive. Closed. A test whose interpretation and value disagree may be positive:
// `unknown` with that reason. A test with no readable result is not evidence of infection.

import { conditionsWith } from '../common/active-condition.js';
import { conditionLabel, labLabel, listText } from '../common/labels.js';
import { missingRecordDetail, testDisplay } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';

export const criterion: Criterion = {
  id: 'exc-hiv',
  type: 'exclusion',
  evaluate(model) {
    const conditions = conditionsWith(model, ['hiv']);
    const tests = model.labs.filter((l) => l.test === 'hiv-test');
    const label = (l: (typeof tests)[number]): string => labLabel(l, testDisplay(model, l.test));
    const positive = tests.filter((l) => l.positivity === 'positive');
    if (conditions.length > 0 || positive.length > 0) {
      const items = [...conditions.map((d) => `recorded ${conditionLabel(d)}`), ...positive.map((l) => `positive ${label(l)}`)];
      return decided('met', `HIV: ${listText(items)}`, [...conditions, ...positive].map((r) => r.ref));
    }
    const conflicting = tests.filter((l) => l.positivity === 'conflict');
    if (conflicting.length > 0) {
      return undecided(
        `an HIV test may be positive: ${listText(conflicting.map((l) => `${label(l)}${l.positivityReason ? ` (${l.positivityReason})` : ''}`))}`,
        { evidence: conflicting.map((l) => l.ref), missingData: conflicting.map((l) => missingRecordDetail(l.ref, `a confirmed result for ${label(l)}`)) },
      );
    }
    const negative = tests.filter((l) => l.positivity === 'negative');
    const unreadable = tests.filter((l) => l.positivity === 'unknown');
    const notes = [
      ...(negative.length > 0 ? [`negative ${listText(negative.map(label))}`] : []),
      ...(unreadable.length > 0 ? [`no readable result in ${listText(unreadable.map(label))}`] : []),
    ];
    return decided('not-met', `no HIV infection or positive HIV test on record${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`, [...negative, ...unreadable].map((l) => l.ref));
  },
};
