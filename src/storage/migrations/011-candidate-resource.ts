import type { Migration } from './migration.js';

// The nightly finder's resource store: the exported resources of each study's candidate
// patients (diagnosed, or already on the worklist), one row per Type/id and owning patient.
// It is what a Bulk `_since` delta is merged into (replace by Type/id, drop `deleted[]`), so a
// touched patient is re-screened from the merged record, never from the delta alone; and what
// `--workers-from-queue` consumers on other machines read their patient chunks from.
// A Medication is stored once per candidate whose medication record references it.
// Migration 040 moves these rows to candidate_record (one row per patient) and drops the table.
export const migration: Migration = {
  id: '011-candidate-resource',
  sql: `
CREATE TABLE candidate_resource (
  study_id      text NOT NULL,
  resource_type text NOT NULL,
  resource_id   text NOT NULL,
  patient_id    text NOT NULL,
  -- The NDJSON line as exported: screened exactly as a file line would be.
  resource      text NOT NULL,
  -- The run that last wrote the row; a complete full run drops rows it did not write.
  run_id        text,
  PRIMARY KEY (study_id, resource_type, resource_id, patient_id)
);

CREATE INDEX candidate_resource_patient_idx ON candidate_resource (study_id, patient_id);
`,
};
