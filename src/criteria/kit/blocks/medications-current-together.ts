// Block `medications-current-together`: a medication of each of two or more classes is current
// at D (dual RAS blockade: an ACE inhibitor and an ARB). The Kleene `all` of `medication-current`
// per class, so a possibly-current record of one class leaves it unknown unless another class is
// surely absent.

import Type, { type Static } from 'typebox';
import type { EligibilityModel } from '../../../mapping/model.js';
import { all } from '../kleene.js';
import type { KitOutcome } from '../outcome.js';
import { medicationCurrent } from './medication-current.js';

export const MedicationsTogetherParams = Type.Object(
  {
    classes: Type.Array(Type.String({ minLength: 1 }), { minItems: 2 }),
    /** For reasons, one per class in the same order: `[ACE inhibitor, ARB]`. */
    names: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 2 })),
  },
  { additionalProperties: false },
);
export type MedicationsTogetherParams = Static<typeof MedicationsTogetherParams>;

export function checkMedicationsTogether(p: MedicationsTogetherParams): string | undefined {
  return p.names && p.names.length !== p.classes.length ? `names gives ${p.names.length} names for ${p.classes.length} classes` : undefined;
}

export function medicationsCurrentTogether(model: EligibilityModel, p: MedicationsTogetherParams): KitOutcome {
  return all(p.classes.map((c, i) => medicationCurrent(model, p.names ? { classes: [c], name: p.names[i]! } : { classes: [c] })));
}
