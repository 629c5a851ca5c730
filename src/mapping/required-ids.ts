// What a study's criteria need its mapping folder to define, so a missing id stops start-up
// instead of silently reading as "no such history". The study loader (screening/study-registry.ts)
// gathers it from the study's criteria: the ids its TypeScript criteria declare (e.g.
// criteria/<study>/required-ids.ts) and those its kit rules name, each with the line of
// study.yaml that names it. Nothing here is demanded of every study.

import type { TSchema } from 'typebox';

export interface RequiredIds {
  valueSets: readonly string[];
  labs: readonly string[];
  measures: readonly string[];
  agents: readonly string[];
  classes: readonly string[];
}

export const NO_REQUIRED_IDS: RequiredIds = { valueSets: [], labs: [], measures: [], agents: [], classes: [] };

/** An id a kit rule of study.yaml names (criteria/kit/rule-references.ts), and where. */
export interface NamedId {
  kind: 'value set' | 'test' | 'lab' | 'medication class';
  id: string;
  /** JSON pointer in study.yaml: `/criteria/2/rule/all/0/condition/valueSets/0`. */
  path: string;
  line?: number | undefined;
}

export interface StudyNeeds {
  /** Ids the TypeScript criteria read by name. */
  required: RequiredIds;
  /** Ids the kit rules name. */
  named: readonly NamedId[];
  /**
   * The shape of thresholds.yaml when TypeScript criteria read thresholds from it; without it
   * the file holds only what every study shares (schema.ts SharedThresholdsFile).
   */
  thresholds?: TSchema;
  /** Labs the study's thresholds.yaml names (checked against labs.yaml, the error at their path). */
  thresholdLabs?: (thresholds: unknown) => ThresholdIds;
}

/** Ids named inside thresholds.yaml, each with its JSON pointer there. */
export type ThresholdIds = readonly { id: string; path: string }[];

export const NO_NEEDS: StudyNeeds = { required: NO_REQUIRED_IDS, named: [] };

/** Value sets the model builder reads by name when a study defines them (encounters, allergies). */
export const INFECTION_VALUE_SET = 'infection';
export const ANAPHYLAXIS_VALUE_SET = 'anaphylaxis';
