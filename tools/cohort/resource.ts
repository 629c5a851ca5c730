// The resources the cohort emits: plain JSON objects, shaped like a Synthea Bulk Data export.

export interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}

/** One generated patient: the Patient first, then the rest of its record. */
export interface GeneratedPatient {
  patientId: string;
  /** Set for each study's patients (written to scenarios.ndjson, never into a resource). */
  scenario?: ScenarioTag;
  resources: Resource[];
}

export interface ScenarioTag {
  /** The study whose population the patient belongs to: `belimumab-iim` or `glp1-ckd`. */
  study: string;
  name: string;
  /** The criterion the scenario sits at the boundary of, when it is a boundary scenario. */
  criterion?: string;
  /** What that criterion is meant to answer for this patient. */
  expect?: 'met' | 'not-met' | 'unknown';
  /** For an expected `unknown`, whether a person decides it (glp1-ckd scenarios). */
  manual?: boolean;
  /** The patient's expected status (glp1-ckd scenarios, whose base is a candidate). */
  status?: 'candidate' | 'potential-candidate' | 'ineligible';
}
