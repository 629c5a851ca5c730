// E12 (`exc-anaphylaxis`): `met` if an AllergyIntolerance to a contrast agent, a monoclonal
// antibody, or a human or murine protein product has a reaction manifesting as anaphylaxis.
// Closed. Any clinical status (a resolved allergy is still a history of anaphylaxis); refuted
// and entered-in-error allergies do not count.

import { allergyCounts } from '../common/allergy-records.js';
import { listText } from '../common/labels.js';
import { decided } from '../common/outcome.js';
import type { Criterion } from '../types.js';

const GROUPS: ReadonlyMap<string, string> = new Map([
  ['contrast-agent', 'contrast agent'],
  ['monoclonal-antibody', 'monoclonal antibody'],
  ['human-protein', 'human or murine protein product'],
]);

export const criterion: Criterion = {
  id: 'exc-anaphylaxis',
  type: 'exclusion',
  evaluate(model) {
    const relevant = model.allergies.filter((a) => allergyCounts(a) && a.groups.some((g) => GROUPS.has(g)));
    const describe = (a: (typeof relevant)[number]): string => {
      const classes = a.groups.filter((g) => GROUPS.has(g)).map((g) => GROUPS.get(g)!);
      return `${a.display} (${listText(classes)}, ${a.ref}${a.matchedByName ? ', matched by name' : ''})`;
    };
    const anaphylaxis = relevant.filter((a) => a.anaphylaxis);
    if (anaphylaxis.length > 0) {
      return decided('met', `anaphylaxis to ${listText(anaphylaxis.map(describe))}`, anaphylaxis.map((a) => a.ref));
    }
    if (relevant.length > 0) {
      return decided('not-met', `allergy without anaphylaxis recorded: ${listText(relevant.map(describe))}`, relevant.map((a) => a.ref));
    }
    return decided('not-met', 'no anaphylaxis to a contrast agent, monoclonal antibody or human or murine protein product on record');
  },
};
