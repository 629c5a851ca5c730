// I3 (`inc-autoantibody`): `met` if ANA titre > 1:80 (1:160 or more), anti-RNP, anti-SSA/Ro,
// anti-SSB/La or any myositis-specific antibody is positive at any time. `not-met` if ANA is
// negative or ≤ 1:80 and RNP, SSA, SSB and a myositis panel (at least the thresholds'
// required panel: Jo-1, Mi-2, SRP) are all negative. Open: otherwise unknown, naming what is
// missing. A test with a positive or conflicting result is never read as negative.

import type { LabResult } from '../../mapping/model.js';
import { readAna } from './ana-titre.js';
import { labLabel, listText } from '../common/labels.js';
import { isMsa } from './msa.js';
import { missingTest, testDisplay } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

const ANA_TESTS = ['ana-titre', 'ana-screen'];
const NON_MSA_ANTIBODIES = ['ab-rnp', 'ab-ssa', 'ab-ssb'];

export const criterion: Criterion = {
  id: 'inc-autoantibody',
  type: 'inclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['inc-autoantibody'];
    const labs = model.labs;
    const label = (l: LabResult): string => labLabel(l, testDisplay(model, l.test));
    const anaLabs = labs.filter((l) => ANA_TESTS.includes(l.test));
    const anaReadings = anaLabs.map((l) => ({ lab: l, reading: readAna(l, th) }));
    const otherLabs = labs.filter((l) => NON_MSA_ANTIBODIES.includes(l.test) || isMsa(l.test));

    const positives = [
      ...anaReadings.filter((r) => r.reading === 'positive').map((r) => r.lab),
      ...otherLabs.filter((l) => l.positivity === 'positive'),
    ];
    if (positives.length > 0) {
      return decided('met', `positive autoantibody: ${listText(positives.map(label))}`, positives.map((l) => l.ref));
    }

    const conflicts = [
      ...anaReadings.filter((r) => r.reading === 'conflict').map((r) => r.lab),
      ...otherLabs.filter((l) => l.positivity === 'conflict'),
    ];
    const blocked = new Set(conflicts.map((l) => (ANA_TESTS.includes(l.test) ? 'ana' : l.test)));
    const negativeAna = anaReadings.filter((r) => r.reading === 'negative').map((r) => r.lab);
    const required = [...new Set([...NON_MSA_ANTIBODIES, ...th.requiredNegativePanel])];
    const negatives: LabResult[] = [];
    const missing = [];
    if (negativeAna.length > 0 && !blocked.has('ana')) negatives.push(...negativeAna);
    else missing.push(missingTest(model, 'ana-titre', `ANA titre (1:${th.anaNegativeMaxDenominator} or less, or a negative screen, rules it out)`));
    for (const test of required) {
      const neg = otherLabs.filter((l) => l.test === test && l.positivity === 'negative');
      if (neg.length > 0 && !blocked.has(test)) negatives.push(...neg);
      else missing.push(missingTest(model, test));
    }
    if (missing.length === 0) {
      return decided(
        'not-met',
        `ANA negative or 1:${th.anaNegativeMaxDenominator} or less, and anti-RNP, anti-SSA, anti-SSB and the myositis panel negative: ${listText(negatives.map(label))}`,
        negatives.map((l) => l.ref),
      );
    }
    const conflictText = conflicts.length > 0 ? `; conflicting results: ${listText(conflicts.map((l) => `${label(l)}${l.positivityReason ? ` (${l.positivityReason})` : ''}`))}` : '';
    const negText = negatives.length > 0 ? `; negative so far: ${listText(negatives.map(label))}` : '';
    return undecided(`no positive ANA (1:${th.anaPositiveMinDenominator} or more), anti-RNP, anti-SSA, anti-SSB or myositis-specific antibody on record, and the negative panel is incomplete${negText}${conflictText}`, {
      evidence: [...negatives, ...conflicts].map((l) => l.ref),
      missingData: missing,
    });
  },
};
