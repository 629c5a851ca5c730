// E1 (`exc-muscle-damage`): `met` if the Myositis Damage Index muscle-damage VAS (latest within
// 12 months) is > 5.0 cm, or a muscle MRI within 12 months reports severe muscle atrophy.
// `not-met` if the VAS is ≤ 5.0 cm and no such MRI finding. Open. VAS in mm converts to cm in
// the mapping; a value that cannot be converted reads as missing.

import { rangeInWindow } from '../../fhir/dates.js';
import { dateText, listText } from '../common/labels.js';
import { latestMeasure, measureLabel } from '../common/latest-assessment.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { monthsWindow } from '../common/windows.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const criterion: Criterion = {
  id: 'exc-muscle-damage',
  type: 'exclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['exc-muscle-damage'];
    const D = model.asOf;
    const window = monthsWindow(D, th.lookbackMonths);
    const limit = th.mdiAboveCm;

    const findings = model.assessments.filter((a) => a.measure === 'mri-severe-muscle-atrophy' && a.positivity === 'positive' && a.date);
    const mriIn = findings.filter((a) => rangeInWindow(a.date!, window.from, D) === 'yes');
    const mriMaybe = findings.filter((a) => rangeInWindow(a.date!, window.from, D) === 'maybe');
    const mriText = (a: (typeof findings)[number]) => `MRI finding of severe muscle atrophy on ${dateText(a.date!)} (${a.ref})`;

    const mdi = latestMeasure(model, ['mdi-muscle-damage'], window.from, 'MDI muscle damage VAS', window.label);
    const high = mdi.latest.filter((a) => a.value! > limit + 1e-9);
    const low = mdi.latest.filter((a) => a.value! <= limit + 1e-9);
    const conflict = high.length > 0 && low.length > 0;

    if (mriIn.length > 0 || (high.length > 0 && !conflict)) {
      const items = [...high.map((a) => `${measureLabel(model, a)} is above ${limit} cm`), ...mriIn.map(mriText)];
      return decided('met', `muscle damage within ${window.label} before ${D}: ${listText(items)}`, [...high, ...mriIn].map((a) => a.ref));
    }
    if (low.length > 0 && !conflict && mriMaybe.length === 0) {
      return decided('not-met', `${listText(low.map((a) => measureLabel(model, a)))} is at most ${limit} cm (latest within ${window.label}), and no MRI within ${window.label} reports severe muscle atrophy`, low.map((a) => a.ref));
    }
    const parts: string[] = [];
    const missingData = [];
    if (conflict) {
      parts.push(`conflicting MDI muscle damage VAS results on the same day: ${listText(mdi.latest.map((a) => measureLabel(model, a)))}`);
      missingData.push({ text: 'one confirmed MDI muscle damage VAS' });
    } else if (mdi.latest.length === 0) {
      parts.push(mdi.missingText!);
      missingData.push(mdi.missing!);
    }
    if (mriMaybe.length > 0) {
      parts.push(`${listText(mriMaybe.map(mriText))} may or may not lie within ${window.label} before ${D}`);
      missingData.push(...mriMaybe.map((a) => missingRecordDetail(a.ref, `the exact date of ${a.ref}`)));
    }
    return undecided(`${listText(parts)}; the MDI muscle damage VAS (${window.label}) decides`, {
      evidence: [...mdi.seen, ...mriMaybe].map((a) => a.ref),
      missingData,
    });
  },
};
