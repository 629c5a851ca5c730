import type { Migration } from './migration.js';

// CDS Hooks cards and the clinicians' feedback on them. cds_card is one row per card answered,
// tied to the ResearchSubject it was rendered from; cds_card_criterion names the criteria the
// card put in front of the clinician (what to confirm, the missing data, or the failing ones),
// so the feedback summary can say per criterion how often a flagged patient was overridden.
// cds_feedback keeps outcome, coded override reason and time; never the free-text userComment.
export const migration: Migration = {
  id: '010-cds-feedback',
  sql: `
CREATE TABLE cds_card (
  uuid        uuid        PRIMARY KEY,
  service_id  text        NOT NULL,
  study_id    text        NOT NULL,
  subject_id  text        NOT NULL,
  status      text        NOT NULL,
  issued_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX cds_card_service_idx ON cds_card (service_id, issued_at DESC);
CREATE INDEX cds_card_subject_idx ON cds_card (subject_id);

CREATE TABLE cds_card_criterion (
  card_uuid    uuid NOT NULL REFERENCES cds_card (uuid) ON DELETE CASCADE,
  criterion_id text NOT NULL,
  PRIMARY KEY (card_uuid, criterion_id)
);

CREATE TABLE cds_feedback (
  card_uuid         uuid        NOT NULL REFERENCES cds_card (uuid) ON DELETE CASCADE,
  outcome           text        NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
  outcome_timestamp timestamptz NOT NULL,
  reason_system     text,
  reason_code       text,
  reason_display    text,
  received_at       timestamptz NOT NULL DEFAULT now(),
  -- CDS Hooks feedback is idempotent: a repeated item is the same row.
  PRIMARY KEY (card_uuid, outcome, outcome_timestamp)
);
`,
};
