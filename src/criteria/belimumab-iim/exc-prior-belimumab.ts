// E9 (`exc-prior-belimumab`): `met` if any medication record of belimumab (statement, request,
// administration, dispense) exists at any time, or an AllergyIntolerance to belimumab (it
// implies exposure). Closed. Records that do not count (not-taken, cancelled, draft, not-done,
// entered-in-error, refuted allergies) are left out, and so is a record that starts only after
// D: "prior" exposure is exposure known at D (a replayed screening must not see later orders).

import { allergyCounts } from '../common/allergy-records.js';
import { listText, medicationLabel } from '../common/labels.js';
import { medicationsOf } from '../common/medication-records.js';
import { decided } from '../common/outcome.js';
import type { Criterion } from '../types.js';

export const criterion: Criterion = {
  id: 'exc-prior-belimumab',
  type: 'exclusion',
  evaluate(model) {
    const meds = medicationsOf(model, 'belimumab');
    const allergies = model.allergies.filter((a) => allergyCounts(a) && a.agents.includes('belimumab'));
    if (meds.length === 0 && allergies.length === 0) return decided('not-met', 'no belimumab record or belimumab allergy on record');
    const items = [
      ...meds.map((m) => `${m.resourceType} ${medicationLabel(m)}`),
      ...allergies.map((a) => `allergy to ${a.display} (${a.ref}${a.matchedByName ? ', matched by name' : ''}), which implies exposure`),
    ];
    return decided('met', `prior belimumab: ${listText(items)}`, [...meds, ...allergies].map((r) => r.ref));
  },
};
