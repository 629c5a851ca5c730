// The contract every criterion function keeps. A criterion is pure: same model, same answer.

import type { IsoDay } from '../fhir/dates.js';
import type { TSchema } from 'typebox';
import type { EligibilityModel } from '../mapping/model.js';
import type { RequiredIds, ThresholdIds } from '../mapping/required-ids.js';

export type CriterionType = 'inclusion' | 'exclusion';
export type CriterionResult = 'met' | 'not-met' | 'unknown';

export interface MissingData {
  /** What would decide it, for a person: `serum IgG (LOINC 2465-3)`. */
  text: string;
  /** A FHIR search that would fetch it: `Observation?patient=p1&code=http://loinc.org|2465-3`. */
  query?: string;
}

export interface CriterionOutcome {
  result: CriterionResult;
  /** Only with `unknown`: what remains needs a person, not more EHR data. */
  manual: boolean;
  /** One or two sentences a coordinator can read. */
  reason: string;
  /** `Type/id` of the input resources that decided it, as the input gave them. */
  evidence: string[];
  missingData: MissingData[];
  /** For a time-window exclusion that is met: the first day the window no longer holds. */
  clearsOn?: IsoDay;
}

export interface Criterion {
  id: string;
  type: CriterionType;
  evaluate(model: EligibilityModel): CriterionOutcome;
}

export interface CriterionEvaluation extends CriterionOutcome {
  id: string;
  type: CriterionType;
}

/**
 * What names a study's TypeScript criteria without loading them (src/criteria/<study>/facts.ts):
 * `version` goes into criteriaVersion (bump it whenever a criterion's logic changes).
 */
export interface StudyFacts {
  version: string;
  /** For a TypeScript entry criterion (study.yaml `entry:`): the value sets it needs a Condition in. */
  entryValueSets?: ReadonlyMap<string, readonly string[]>;
}

/**
 * A study's criteria written in TypeScript (src/criteria/<study>/index.ts), with what they read
 * of the study's mapping folder: the ids they look up by name and the shape of thresholds.yaml.
 */
export interface StudyCode extends StudyFacts {
  criteria: Criterion[];
  required: RequiredIds;
  thresholds: TSchema;
  /**
   * Criteria another study may name with `same-as` (screening/same-as.ts), each with the ids
   * it reads, which the borrowing folder must define.
   */
  borrowable?: ReadonlyMap<string, RequiredIds>;
  /** Labs its thresholds.yaml names, which labs.yaml must define. */
  thresholdLabs?: (thresholds: unknown) => ThresholdIds;
}
