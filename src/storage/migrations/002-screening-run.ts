import type { Migration } from './migration.js';

// The nightly finder's runs. screening_run is one row per run (what the CLI prints and what a
// coordinator audits); screening_run_patient is one row per screened patient of a run, written
// in the same transaction as that patient's ResearchSubject, so a killed run resumes by skipping
// exactly the patients whose results committed, and the next run diffs against these rows.
export const migration: Migration = {
  id: '002-screening-run',
  sql: `
CREATE TABLE screening_run (
  id               text        PRIMARY KEY,
  study_id         text        NOT NULL,
  as_of            date        NOT NULL,
  source           text        NOT NULL,
  criteria_version text        NOT NULL,
  started          timestamptz NOT NULL DEFAULT now(),
  finished         timestamptz,
  status           text        NOT NULL CHECK (status IN ('running', 'complete', 'partial', 'failed')),
  counts           jsonb       NOT NULL DEFAULT '{}'::jsonb,
  -- Bulk Data: the manifest's transactionTime, the next run's _since (saved only once results commit).
  transaction_time text
);

CREATE INDEX screening_run_study_idx ON screening_run (study_id, started DESC);

CREATE TABLE screening_run_patient (
  run_id      text    NOT NULL REFERENCES screening_run (id) ON DELETE CASCADE,
  patient_ref text    NOT NULL,
  -- The ResearchSubject written for this patient, or null when none was (no diagnosis, never listed).
  subject_id  text,
  status      text    NOT NULL,
  -- Failing criteria, in protocol order: failing->>0 is where the attrition funnel drops the patient.
  failing     jsonb   NOT NULL,
  -- criterion id -> met / not-met / unknown, for the worklist diff's flipped criteria.
  results     jsonb   NOT NULL,
  eligible_from date,
  PRIMARY KEY (run_id, patient_ref)
);
`,
};
