// Block `manual`: only a person can decide (consent, investigator judgement, a test done at the
// screening visit). Always unknown and manual; `reason` says what the person decides. `naming`
// lists rules whose findings the person should see: the reason and evidence of each that is met
// are added (the intolerances on record when none of a class is taken; both diabetes records
// when type 1 and type 2 are recorded). They never change the result.

import Type, { type Static } from 'typebox';
import type { EligibilityModel } from '../../../mapping/model.js';
import { kitManual, type KitOutcome } from '../outcome.js';

export const ManualParams = Type.Object(
  {
    reason: Type.String({ minLength: 1 }),
    /** Rules (compiled with this node, rule.ts) whose met findings the reason names. */
    naming: Type.Optional(Type.Array(Type.Unknown(), { minItems: 1 })),
  },
  { additionalProperties: false },
);
export type ManualParams = Static<typeof ManualParams>;

export function manual(_model: EligibilityModel, p: ManualParams): KitOutcome {
  return kitManual(p.reason, [], [{ text: p.reason }]);
}

/** The manual outcome with the findings of the `naming` rules that are met. */
export function withFindings(outcome: KitOutcome, named: readonly KitOutcome[]): KitOutcome {
  const met = named.filter((o) => o.result === 'met');
  if (met.length === 0) return outcome;
  return {
    ...outcome,
    reason: `${outcome.reason} (on record: ${met.map((o) => o.reason).join('; ')})`,
    evidence: [...outcome.evidence, ...met.flatMap((o) => o.evidence)],
  };
}
