import type { Migration } from './migration.js';

// The worklist. The columns copy what searches filter and sort on; the resource stays the source
// of truth for everything else. version_id feeds meta.versionId.
export const migration: Migration = {
  id: '001-research-subject',
  sql: `
CREATE TABLE research_subject (
  id               text        PRIMARY KEY,
  study_id         text        NOT NULL,
  patient_ref      text        NOT NULL,
  status           text        NOT NULL,
  as_of            date        NOT NULL,
  criteria_version text        NOT NULL,
  resource         jsonb       NOT NULL,
  version_id       integer     NOT NULL DEFAULT 1,
  last_updated     timestamptz NOT NULL
);

-- Every search sorts by (last_updated DESC, id); these serve the study, study+status, patient and
-- unfiltered worklists without a sort step.
CREATE INDEX research_subject_study_idx
  ON research_subject (study_id, last_updated DESC, id);
CREATE INDEX research_subject_study_status_idx
  ON research_subject (study_id, status, last_updated DESC, id);
CREATE INDEX research_subject_patient_idx
  ON research_subject (patient_ref, last_updated DESC, id);
CREATE INDEX research_subject_last_updated_idx
  ON research_subject (last_updated DESC, id);
`,
};
