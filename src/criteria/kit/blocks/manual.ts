// Block `manual`: only a person can decide (consent, investigator judgement, a test done at the
// screening visit). Always unknown and manual; `reason` says what the person decides.

import Type, { type Static } from 'typebox';
import type { EligibilityModel } from '../../../mapping/model.js';
import { kitManual, type KitOutcome } from '../outcome.js';

export const ManualParams = Type.Object({ reason: Type.String({ minLength: 1 }) }, { additionalProperties: false });
export type ManualParams = Static<typeof ManualParams>;

export function manual(_model: EligibilityModel, p: ManualParams): KitOutcome {
  return kitManual(p.reason, [], [{ text: p.reason }]);
}
