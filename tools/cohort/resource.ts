// The resources the cohort emits: plain JSON objects, shaped like a Synthea Bulk Data export.

export interface Resource {
  resourceType: string;
  id: string;
  [key: string]: unknown;
}

/** One generated patient: the Patient first, then the rest of its record. */
export interface GeneratedPatient {
  patientId: string;
  /** Set for myositis patients only (written to scenarios.ndjson, never into a resource). */
  scenario?: ScenarioTag;
  resources: Resource[];
}

export interface ScenarioTag {
  name: string;
  /** The criterion the scenario sits at the boundary of, when it is a boundary scenario. */
  criterion?: string;
  /** What that criterion is meant to answer for this patient. */
  expect?: 'met' | 'not-met' | 'unknown';
}
