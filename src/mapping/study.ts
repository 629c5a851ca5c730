// A study's compiled mapping: what load-study.ts makes of fhir-mappings/<study>/ at start-up.

import type { IsoDay } from '../fhir/dates.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import type { EligibilityModel } from './model.js';

export interface CriterionDefinition {
  id: string;
  type: 'inclusion' | 'exclusion';
  /** The protocol's numbering: I1 … I11, E1 … E20. */
  seed: string;
  /** The criterion in a few words, for ResearchStudy and the README. */
  title: string;
  /** The "missing data" rule (README "Criteria"): open, closed or manual. */
  missingData: 'open' | 'closed' | 'manual';
}

export interface StudyMapping {
  id: string;
  title: string;
  /** study.yaml's short name, when it gives one. */
  acronym?: string;
  description: string;
  /** Every criterion in protocol order. */
  criteria: CriterionDefinition[];
  /** sha256 of the mapping files' bytes (sorted by name). */
  contentHash: string;
  /** Builds the eligibility model for one patient in one pass over the record. */
  buildModel(record: PatientRecord, asOf: IsoDay): EligibilityModel;
}
