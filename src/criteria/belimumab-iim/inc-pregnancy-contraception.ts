// I11 (`inc-pregnancy-contraception`). Male: `met` (does not apply). Any other gender (or none)
// is read as female. Not of childbearing potential — age ≥ 55 on every reading of the birth
// date, or a recorded menopause, hysterectomy or bilateral oophorectomy (condition or procedure)
// — `met`. Otherwise (also with no birth date) childbearing potential: `not-met` if pregnant now
// (an active pregnancy condition, or a positive hCG within 30 days), else `unknown`, manual
// (urine test at screening, agreement to contraception).

import { rangeInWindow } from '../../fhir/dates.js';
import type { LabResult } from '../../mapping/model.js';
import { conditionsWith, isActiveCondition } from '../common/active-condition.js';
import { ageRange, ageText } from '../common/age.js';
import { conditionLabel, dateText, labLabel, listText } from '../common/labels.js';
import { testDisplay } from '../common/missing-data.js';
import { decided, doesNotApply, undecided } from '../common/outcome.js';
import { daysWindow } from '../common/windows.js';
import type { Criterion } from '../types.js';
import { procedureDone } from '../common/procedure-done.js';
import { thresholdsOf } from './thresholds.js';

const NON_CHILDBEARING = ['menopause', 'hysterectomy', 'bilateral-oophorectomy'];

export const criterion: Criterion = {
  id: 'inc-pregnancy-contraception',
  type: 'inclusion',
  evaluate(model) {
    const { patient, asOf } = model;
    const th = thresholdsOf(model)['inc-pregnancy-contraception'];
    if (patient.gender === 'male') return doesNotApply('inclusion', 'does not apply: the patient is male', [patient.ref]);
    const readAs = patient.gender === 'female' ? 'female' : `gender ${patient.gender ?? 'not recorded'}, read as female`;

    const age = ageRange(patient, asOf);
    if (age && age.youngest >= th.nonChildbearingAge) {
      return doesNotApply('inclusion', `not of childbearing potential: ${ageText(age)} on ${asOf} (${readAs}, age ${th.nonChildbearingAge} or more)`, [patient.ref]);
    }
    const conditions = conditionsWith(model, NON_CHILDBEARING);
    const procedures = model.procedures.filter((p) => p.concepts.some((c) => NON_CHILDBEARING.includes(c)) && procedureDone(p));
    if (conditions.length > 0 || procedures.length > 0) {
      const items = [...conditions, ...procedures].map(conditionLabel);
      return doesNotApply('inclusion', `not of childbearing potential (${readAs}): ${listText(items)}`, [...conditions, ...procedures].map((r) => r.ref));
    }

    const why = age ? `${ageText(age)} on ${asOf}` : 'no birth date on record';
    const pregnancy = conditionsWith(model, ['pregnancy']).filter((dx) => isActiveCondition(dx, asOf));
    const window = daysWindow(asOf, th.hcgWindowDays);
    const hcgPositive = (l: LabResult): boolean =>
      l.test === 'hcg-quantitative' && l.value !== undefined && l.comparator !== '<' && l.comparator !== '<='
        ? l.value >= th.hcgQuantitativePositiveIUPerL
        : l.positivity === 'positive';
    const hcg = model.labs.filter((l) => (l.test === 'hcg' || l.test === 'hcg-quantitative') && hcgPositive(l));
    const recentHcg = hcg.filter((l) => l.date && rangeInWindow(l.date, window.from, window.to) === 'yes');
    if (pregnancy.length > 0 || recentHcg.length > 0) {
      const items = [
        ...pregnancy.map((dx) => `active ${conditionLabel(dx)}`),
        ...recentHcg.map((l) => `positive ${labLabel(l, testDisplay(model, l.test))} within ${window.label}`),
      ];
      return decided('not-met', `pregnant now (${readAs}, ${why}): ${listText(items)}`, [...pregnancy, ...recentHcg].map((r) => r.ref));
    }
    const unclearHcg = hcg.filter((l) => l.date && rangeInWindow(l.date, window.from, window.to) === 'maybe');
    const hcgNote = unclearHcg.length > 0
      ? `; a positive hCG dated ${listText(unclearHcg.map((l) => dateText(l.date!)))} may or may not lie within ${window.label} before ${asOf}`
      : '';
    return undecided(
      `of childbearing potential (${readAs}, ${why}, no menopause, hysterectomy or bilateral oophorectomy on record) and not known to be pregnant${hcgNote}: a negative urine pregnancy test at screening and agreement to contraception are checked at the visit`,
      { manual: true, evidence: [patient.ref, ...unclearHcg.map((l) => l.ref)] },
    );
  },
};
