// E18 (`exc-substance-abuse`): `met` if drug or alcohol abuse or dependence (not nicotine: the
// mapping leaves F17 out) is active, or its onset, recorded date or abatement lies within 364
// days before D. Closed: none on record → `not-met`. A record that is not active and whose dates
// are all unknown, or straddle the window's edge, cannot be placed: `unknown` with that reason.

import { summariseConditionWindow, windowClearsOn } from '../common/condition-window-criterion.js';
import { conditionLabel, listText } from '../common/labels.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { daysWindow } from '../common/windows.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const criterion: Criterion = {
  id: 'exc-substance-abuse',
  type: 'exclusion',
  evaluate(model) {
    const window = daysWindow(model.asOf, thresholdsOf(model)['exc-substance-abuse'].days);
    const { hits, open, outside } = summariseConditionWindow(model, ['substance-abuse'], window);
    const windowText = `within ${window.label} before ${model.asOf} (since ${window.from})`;
    const text = (r: (typeof hits)[number]): string => `${conditionLabel(r.dx)}: ${r.detail}`;
    if (hits.length > 0) {
      const clearsOn = windowClearsOn(hits);
      return decided(
        'met',
        `substance abuse or dependence active or ${windowText}: ${listText(hits.map(text))}${clearsOn ? `; the window clears on ${clearsOn}` : ''}`,
        hits.map((r) => r.dx.ref),
        clearsOn,
      );
    }
    if (open.length > 0) {
      return undecided(`cannot tell whether substance abuse or dependence lies ${windowText}: ${listText(open.map(text))}`, {
        evidence: open.map((r) => r.dx.ref),
        missingData: open.map((r) => missingRecordDetail(r.dx.ref, `the onset, diagnosis or remission dates of ${conditionLabel(r.dx)}`)),
      });
    }
    if (outside.length > 0) {
      return decided('not-met', `no substance abuse or dependence active or ${windowText}; older only: ${listText(outside.map(text))}`, outside.map((r) => r.dx.ref));
    }
    return decided('not-met', 'no drug or alcohol abuse or dependence on record');
  },
};
