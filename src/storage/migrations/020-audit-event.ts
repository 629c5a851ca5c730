import type { Migration } from './migration.js';

// The audit trail (src/audit): one row per screening ($screen, each NDJSON line, each CDS
// call) and per worklist or audit read, shaped after FHIR AuditEvent. Who, what, when, which
// patient references, the outcome; never clinical content, never a credential.
export const migration: Migration = {
  id: '020-audit-event',
  sql: `
CREATE TABLE audit_event (
  id           uuid        PRIMARY KEY,
  recorded     timestamptz NOT NULL DEFAULT now(),
  -- screen | screen-ndjson | cds-call | worklist-search | worklist-read | audit-read
  subtype      text        NOT NULL,
  -- FHIR AuditEvent.action: C R U D E
  action       text        NOT NULL CHECK (action IN ('C', 'R', 'U', 'D', 'E')),
  -- FHIR AuditEvent.outcome: 0 success, 4 minor failure, 8 serious failure, 12 major failure
  outcome      text        NOT NULL CHECK (outcome IN ('0', '4', '8', '12')),
  http_status  integer     NOT NULL,
  -- jwt | api-key | cds | anonymous, and the client id, key name or issuer
  agent_kind   text        NOT NULL,
  agent_id     text        NOT NULL,
  address      text,
  patient_refs text[]      NOT NULL DEFAULT '{}',
  -- ResearchStudy/<id> or cds-services/<id>
  target       text,
  request_id   text        NOT NULL,
  -- the NDJSON line a row stands for
  line         integer
);

CREATE INDEX audit_event_recorded_idx ON audit_event (recorded DESC, id);
CREATE INDEX audit_event_patient_idx ON audit_event USING gin (patient_refs);
CREATE INDEX audit_event_agent_idx ON audit_event (agent_id, recorded DESC);
`,
};
