// Block `intolerance`: a documented intolerance to a medication class: an AllergyIntolerance to
// an agent or class of it (not refuted or entered-in-error, with no onset after D), or a
// medication record of the class stopped for an adverse reaction (not with `allergiesOnly`,
// for a hypersensitivity criterion that reads AllergyIntolerance alone). Closed: none is not-met.

import Type, { type Static } from 'typebox';
import type { EligibilityModel } from '../../../mapping/model.js';
import { allergyCounts } from '../../common/allergy-records.js';
import { listText, medicationLabel } from '../../common/labels.js';
import { kitDecided, type KitOutcome } from '../outcome.js';
import { Ids } from '../params.js';
import { classRecords } from './medication-class.js';

export const IntoleranceParams = Type.Object(
  { classes: Ids, name: Type.Optional(Type.String({ minLength: 1 })), allergiesOnly: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type IntoleranceParams = Static<typeof IntoleranceParams>;

export function intolerance(model: EligibilityModel, p: IntoleranceParams): KitOutcome {
  const name = p.name ?? listText(p.classes);
  const allergies = model.allergies.filter(
    (a) => allergyCounts(a) && p.classes.some((c) => a.agents.includes(c) || a.groups.includes(c)) && !(a.onset && a.onset.earliest > model.asOf),
  );
  const stopped = p.allergiesOnly ? [] : classRecords(model, p.classes).filter((m) => m.stoppedForAdverseReaction);
  if (allergies.length === 0 && stopped.length === 0) return kitDecided('not-met', `no intolerance to ${name} on record`);
  const items = [
    ...allergies.map((a) => `an allergy or intolerance to ${a.display} (${a.ref}${a.matchedByName ? ', matched by name' : ''})`),
    ...stopped.map((m) => `${medicationLabel(m)} stopped for an adverse reaction`),
  ];
  return kitDecided('met', `intolerance to ${name}: ${listText(items)}`, [...allergies.map((a) => a.ref), ...stopped.map((m) => m.ref)]);
}
