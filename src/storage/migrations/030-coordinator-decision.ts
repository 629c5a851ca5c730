import type { Migration } from './migration.js';

// The study coordinators' decisions on worklist patients: contacted, screen-failed (naming the
// criterion that failed, and what the service had said about it at the time), enrolled, not
// interested, with a free-text note. Append-only: the latest row per ResearchSubject is the one
// the worklist shows, earlier rows are its history. The note is stored because coordinators need
// it; it is never logged. decided_by is filled by authentication when it knows the caller.
export const migration: Migration = {
  id: '030-coordinator-decision',
  sql: `
CREATE TABLE coordinator_decision (
  id                uuid        PRIMARY KEY,
  subject_id        text        NOT NULL REFERENCES research_subject (id) ON DELETE CASCADE,
  study_id          text        NOT NULL,
  decision          text        NOT NULL
    CHECK (decision IN ('contacted', 'screen-failed', 'enrolled', 'not-interested')),
  criterion_id      text,
  -- The service's result for criterion_id in the ResearchSubject the coordinator saw.
  criterion_result  text,
  subject_version   integer     NOT NULL,
  note              text,
  decided_by        text,
  decided_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  CHECK ((decision = 'screen-failed') = (criterion_id IS NOT NULL))
);

CREATE INDEX coordinator_decision_subject_idx ON coordinator_decision (subject_id, decided_at DESC);
CREATE INDEX coordinator_decision_study_idx ON coordinator_decision (study_id, decided_at DESC);
`,
};
