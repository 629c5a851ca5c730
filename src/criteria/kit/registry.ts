// The kit's blocks by name: what a study's YAML may name in a rule (rule.ts). Each block
// declares its parameters with TypeBox, so the study loader validates a study's thresholds,
// windows and value-set ids with the block that uses them; `check` adds the rules a schema
// cannot say (one of two fields, a band with no limit).

import type { Static, TSchema } from 'typebox';
import type { EligibilityModel } from '../../mapping/model.js';
import { age, AgeParams, checkAge } from './blocks/age.js';
import { checkCondition, condition, ConditionParams } from './blocks/condition-in-value-set.js';
import { familyHistory, FamilyHistoryParams } from './blocks/family-history.js';
import { intolerance, IntoleranceParams } from './blocks/intolerance.js';
import { checkLatestCodedValue, latestCodedValue, LatestCodedValueParams } from './blocks/latest-coded-value.js';
import { checkLatestValue, latestValue, LatestValueParams } from './blocks/latest-value.js';
import { manual, ManualParams } from './blocks/manual.js';
import { medicationBegunBefore, MedicationBegunBeforeParams } from './blocks/medication-begun-before.js';
import { medicationCurrent, MedicationCurrentParams } from './blocks/medication-current.js';
import { medicationWithin, MedicationWithinParams } from './blocks/medication-within.js';
import { checkMedicationsTogether, medicationsCurrentTogether, MedicationsTogetherParams } from './blocks/medications-current-together.js';
import { patientAlive, PatientAliveParams } from './blocks/patient-alive.js';
import { procedure, ProcedureParams } from './blocks/procedure-in-value-set.js';
import type { KitOutcome } from './outcome.js';

export interface KitBlock<S extends TSchema = TSchema> {
  schema: S;
  /** A rule the schema cannot say; the message names what is wrong. */
  check?: (params: Static<S>) => string | undefined;
  evaluate(model: EligibilityModel, params: Static<S>): KitOutcome;
}

function block<S extends TSchema>(b: KitBlock<S>): KitBlock {
  return b as unknown as KitBlock;
}

export const BLOCKS: ReadonlyMap<string, KitBlock> = new Map<string, KitBlock>([
  ['age', block({ schema: AgeParams, check: checkAge, evaluate: age })],
  ['patient-alive', block({ schema: PatientAliveParams, evaluate: patientAlive })],
  ['condition', block({ schema: ConditionParams, check: checkCondition, evaluate: condition })],
  ['procedure', block({ schema: ProcedureParams, evaluate: procedure })],
  ['latest-value', block({ schema: LatestValueParams, check: checkLatestValue, evaluate: latestValue })],
  ['latest-coded-value', block({ schema: LatestCodedValueParams, check: checkLatestCodedValue, evaluate: latestCodedValue })],
  ['medication-current', block({ schema: MedicationCurrentParams, evaluate: medicationCurrent })],
  ['medication-begun-before', block({ schema: MedicationBegunBeforeParams, evaluate: medicationBegunBefore })],
  ['medication-within', block({ schema: MedicationWithinParams, evaluate: medicationWithin })],
  ['medications-current-together', block({ schema: MedicationsTogetherParams, check: checkMedicationsTogether, evaluate: medicationsCurrentTogether })],
  ['intolerance', block({ schema: IntoleranceParams, evaluate: intolerance })],
  ['family-history', block({ schema: FamilyHistoryParams, evaluate: familyHistory })],
  ['manual', block({ schema: ManualParams, evaluate: manual })],
]);
