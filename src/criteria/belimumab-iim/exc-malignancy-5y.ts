// E2 (`exc-malignancy-5y`): `met` if a malignant neoplasm (the mapping leaves out basal and
// squamous cell carcinoma of the skin) is active, or its onset, recorded date or abatement lies
// within 5 years before D. Dates all unknown and not active: `unknown`. A personal-history code
// (Z85, concept `malignancy-history`) is never active whatever its clinicalStatus, and only its
// onset (the cancer's date) decides; without one, `unknown`. Closed otherwise.

import { conditionsWith } from '../common/active-condition.js';
import { readConditionWindow, type ConditionWindowReading } from '../common/condition-window.js';
import { conditionLabel, listText } from '../common/labels.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { latestDay, yearsWindow } from '../common/windows.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const criterion: Criterion = {
  id: 'exc-malignancy-5y',
  type: 'exclusion',
  evaluate(model) {
    const window = yearsWindow(model.asOf, thresholdsOf(model)['exc-malignancy-5y'].years);
    const readings: ConditionWindowReading[] = conditionsWith(model, ['malignancy', 'malignancy-history']).map((dx) =>
      dx.concepts.includes('malignancy-history')
        ? readConditionWindow(dx, window, { fields: ['onset'], canBeActive: false })
        : readConditionWindow(dx, window),
    );
    const text = (r: ConditionWindowReading): string => `${conditionLabel(r.dx)}: ${r.detail}`;
    const windowText = `within ${window.label} before ${model.asOf} (since ${window.from})`;

    const hits = readings.filter((r) => r.state === 'active' || r.state === 'in-window');
    if (hits.length > 0) {
      const clearsOn = hits.every((r) => r.clearsOn) ? latestDay(hits.map((r) => r.clearsOn!)) : undefined;
      const tail = clearsOn ? `; the window clears on ${clearsOn}` : '';
      return decided('met', `malignancy active or ${windowText}: ${listText(hits.map(text))}${tail}`, hits.map((r) => r.dx.ref), clearsOn);
    }
    const open = readings.filter((r) => r.state === 'straddles' || r.state === 'undated');
    if (open.length > 0) {
      const items = open.map((r) => {
        const history = r.dx.concepts.includes('malignancy-history');
        if (r.state === 'straddles') return `${conditionLabel(r.dx)}: ${r.detail}`;
        return history
          ? `${conditionLabel(r.dx)} is a personal history of malignancy with no onset date (the cancer's date decides)`
          : `${conditionLabel(r.dx)} is not active and has no onset, recorded or abatement date`;
      });
      return undecided(`cannot tell whether a malignancy lies ${windowText}: ${listText(items)}`, {
        evidence: open.map((r) => r.dx.ref),
        missingData: open.map((r) =>
          missingRecordDetail(
            r.dx.ref,
            r.dx.concepts.includes('malignancy-history')
              ? `the date of the cancer (onset) behind ${conditionLabel(r.dx)}`
              : `the exact onset, diagnosis or remission dates of ${conditionLabel(r.dx)}`,
          ),
        ),
      });
    }
    if (readings.length > 0) {
      return decided('not-met', `no malignancy active or ${windowText}; older only: ${listText(readings.map(text))}`, readings.map((r) => r.dx.ref));
    }
    return decided('not-met', 'no malignancy on record');
  },
};
