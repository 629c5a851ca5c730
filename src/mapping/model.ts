// The typed eligibility model: what the criteria read. It is built once per patient and
// screening date by build-model.ts from the resources whose codes are in a study value set;
// criteria never see FHIR resources. Every record keeps `ref`, the `Type/id` of the input
// resource that produced it, as evidence.

import type { DayRange, IsoDay } from '../fhir/dates.js';

export type Positivity = 'positive' | 'negative' | 'conflict' | 'unknown';

export type Route = 'oral' | 'iv' | 'im' | 'sc' | 'parenteral' | 'non-systemic' | 'other';

export interface PatientInfo {
  /** `Patient/<id>` as evidence. */
  ref: string;
  /** The Patient's id, for missingDataQuery searches. */
  id: string;
  /** FHIR administrative gender as given (`male`, `female`, `other`, `unknown`), or undefined. */
  gender?: string;
  birthDate?: DayRange;
  /** Set when the birthDate was present but unreadable. */
  birthDateProblem?: string;
  deceased: boolean;
  deceasedDate?: DayRange;
}

export interface CodingRef {
  system: string;
  code: string;
  display?: string;
}

export interface Diagnosis {
  ref: string;
  /** Value-set (concept) ids the condition's code belongs to, e.g. `dx-dm`, `malignancy`. */
  concepts: string[];
  /** The coding that matched (the first one, for the reason text). */
  coding: CodingRef;
  text?: string;
  onset?: DayRange;
  recorded?: DayRange;
  /** A dated abatement. */
  abatement?: DayRange;
  /** abatementBoolean true, or an abatementString, or an abatement[x] date on or before D. */
  abated: boolean;
  clinicalStatus?: string;
  verificationStatus?: string;
  /** Data problems met while reading it (unreadable onset, …), for reasons. */
  problems: string[];
}

export interface MedicationDose {
  /** mg per administration (after UCUM and product-strength conversion). */
  perAdministrationMg?: number;
  /** mg per day: dose × frequency per day. */
  dailyMg?: number;
  /** Why the dose is unknown, when it is. */
  problem?: string;
}

export interface MedicationRecord {
  ref: string;
  resourceType: 'MedicationStatement' | 'MedicationRequest' | 'MedicationAdministration' | 'MedicationDispense';
  /** Agent ids (ingredients) from medications.yaml, e.g. `rituximab`, `prednisone`. */
  agents: string[];
  /** Groups of those agents and the classes they matched, e.g. `glucocorticoid`, `anti-infective`. */
  groups: string[];
  /** True when no code matched and the ingredient's name was found in a display or text. */
  matchedByName: boolean;
  display: string;
  status?: string;
  /** Span start and end (end already resolved: ongoing → D; no end and not ongoing → start). */
  start?: DayRange;
  end?: DayRange;
  /** Status active/intended/on-hold with no end: runs to D. */
  ongoing: boolean;
  /** An active record with no dates at all: current at D, start unknown. */
  undated: boolean;
  route?: Route;
  dose: MedicationDose;
  /** statusReason says it stopped for an adverse reaction / intolerance. */
  stoppedForAdverseReaction: boolean;
  /**
   * mg of prednisone per mg of this drug (medications.yaml `prednisoneFactor`), when
   * the record is one systemic glucocorticoid; absent otherwise (or for a combination of two).
   */
  prednisoneFactor?: number;
  /** Data problems met while reading it (an unreadable date …), for reasons. */
  problems?: string[];
}

export interface LabResult {
  ref: string;
  /** Lab id from labs.yaml, e.g. `igg`, `ck`, `hiv-test`, `msa-jo1`. */
  test: string;
  date?: DayRange;
  /** The value converted to the lab's unit (UCUM, or the mapping's molar factor). */
  value?: number;
  comparator?: '<' | '<=' | '>=' | '>';
  /** The lab's unit (`mg/dL`, `U/L`, …), when value is set. */
  unit?: string;
  /** Upper limit of normal in the lab's unit, and where it came from. */
  uln?: number;
  ulnSource?: 'reference-range' | 'default';
  /** Why a numeric value could not be used (unit UCUM cannot convert, no value, …). */
  valueProblem?: string;
  /** The value as written, for reasons: `3.5 g/L`, `1:320`, `Positive`. */
  valueText: string;
  /** Qualitative reading per interpretation.yaml (interpretation first, then the value). */
  positivity: Positivity;
  positivityReason?: string;
  /** ANA-style titre: the denominator N of 1:N, and `<`/`>` when written so. */
  titre?: { denominator: number; comparator?: '<' | '>' };
  /** A coded value (valueCodeableConcept): the value-set ids its codes belong to (a NYHA class). */
  valueConcepts?: string[];
}

export interface Assessment {
  ref: string;
  /** Measure id from assessments.yaml, e.g. `mmt8-150`, `haq-di`, `mdi-muscle-damage`. */
  measure: string;
  date?: DayRange;
  /** Value in the measure's unit (`cm` for VAS, `{score}` otherwise). */
  value?: number;
  unit?: string;
  valueProblem?: string;
  valueText: string;
  positivity: Positivity;
  /** For a generic MMT-8 code, the scale read from the value or reference range (80 or 150). */
  scale?: number;
}

export interface ProcedureRecord {
  ref: string;
  concepts: string[];
  coding: CodingRef;
  start?: DayRange;
  end?: DayRange;
  status?: string;
}

export interface EncounterRecord {
  ref: string;
  classCode?: string;
  status?: string;
  start?: DayRange;
  end?: DayRange;
  /** Reason codes (reasonCode, reasonReference, diagnosis.condition) in the infection set. */
  infectionReasons: CodingRef[];
  /** References to the Conditions that gave those reasons, as evidence. */
  reasonRefs: string[];
}

export interface AllergyRecord {
  ref: string;
  agents: string[];
  groups: string[];
  matchedByName: boolean;
  display: string;
  clinicalStatus?: string;
  verificationStatus?: string;
  /** A reaction manifestation in the anaphylaxis set. */
  anaphylaxis: boolean;
  /** onsetDateTime (or onsetPeriod.start). */
  onset?: DayRange;
  /** recordedDate: the allergy's date when it has no onset (known-at.ts). */
  recorded?: DayRange;
}

/** A FamilyMemberHistory whose condition[].code is in a study value set. */
export interface FamilyHistoryRecord {
  /** `FamilyMemberHistory/<id>`. */
  ref: string;
  /** Value-set ids the conditions' codes belong to. */
  concepts: string[];
  /** FamilyMemberHistory.relationship codings; empty when not coded. */
  relationship: CodingRef[];
  status?: string;
  date?: DayRange;
}

/**
 * thresholds.yaml as loaded: `courses` (the site's) for every study, and the groups a study's
 * TypeScript criteria declare with TypeBox (the loader checks the file against their shape; the
 * criteria read their own groups typed, from criteria/<study>/thresholds.ts). Kit rules
 * carry their limits in study.yaml.
 */
export interface Thresholds {
  courses: { gapDays: number; administrationCurrentDays: number };
  readonly [group: string]: unknown;
}

/** What the mapping says about a lab or measure, for reasons and missingData queries. */
export interface TestDefinition {
  display: string;
  unit?: string;
  codings: CodingRef[];
}

export interface EligibilityModel {
  studyId: string;
  asOf: IsoDay;
  patient: PatientInfo;
  diagnoses: Diagnosis[];
  medications: MedicationRecord[];
  /**
   * Glucocorticoid records with neither a route nor a dose form (codes.md §3: possibly
   * systemic). They count for nothing by themselves and are not in `medications`; I4 and I8
   * weigh them (criteria/common/doubtful-records.ts).
   */
  possiblySystemic: MedicationRecord[];
  labs: LabResult[];
  assessments: Assessment[];
  procedures: ProcedureRecord[];
  encounters: EncounterRecord[];
  allergies: AllergyRecord[];
  familyHistory: FamilyHistoryRecord[];
  thresholds: Thresholds;
  /** Lab and assessment definitions by id (labs.yaml, assessments.yaml). */
  tests: Record<string, TestDefinition>;
}
