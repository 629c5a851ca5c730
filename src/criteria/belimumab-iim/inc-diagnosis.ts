// I2 (`inc-diagnosis`): `met` with a DM condition (any clinical status). With only PM or an
// IIM of unspecified subtype: `met` if a myositis-specific antibody is positive at any time,
// else `unknown`, manual (muscle-biopsy review and expert adjudication). `not-met` with none of
// them (closed). Refuted, entered-in-error and differential diagnoses do not count here.

import { conditionsWith } from '../common/active-condition.js';
import { conditionLabel, labLabel, listText } from '../common/labels.js';
import { MSA_TESTS, positiveMsas } from './msa.js';
import { missingTest, testDisplay } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';

export const criterion: Criterion = {
  id: 'inc-diagnosis',
  type: 'inclusion',
  evaluate(model) {
    const dm = conditionsWith(model, ['dx-dm'], { excludeDifferential: true });
    if (dm.length > 0) {
      return decided('met', `dermatomyositis recorded: ${listText(dm.map(conditionLabel))}`, dm.map((d) => d.ref));
    }
    const other = conditionsWith(model, ['dx-pm', 'dx-iim-unspecified'], { excludeDifferential: true });
    if (other.length === 0) return decided('not-met', 'no dermatomyositis, polymyositis or idiopathic inflammatory myopathy recorded');
    const dxText = listText(other.map(conditionLabel));
    const msa = positiveMsas(model);
    if (msa.length > 0) {
      const labs = listText(msa.map((l) => labLabel(l, testDisplay(model, l.test))));
      return decided('met', `${dxText}, with a positive myositis-specific antibody: ${labs}`, [...other, ...msa].map((r) => r.ref));
    }
    return undecided(
      `${dxText} without dermatomyositis or a positive myositis-specific antibody: the protocol requires muscle-biopsy review and expert adjudication (a positive myositis-specific antibody would also confirm it)`,
      { manual: true, evidence: other.map((d) => d.ref), missingData: MSA_TESTS.map((t) => missingTest(model, t)) },
    );
  },
};
