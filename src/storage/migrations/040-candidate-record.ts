import type { Migration } from './migration.js';

// The resource store of migration 011, one row per candidate patient instead of one per
// resource: a full run writes hundreds of resources a candidate, and as rows (each a primary-key
// and a patient-index entry) that write costs the finder more than reading the whole export. A
// delta merge reads and rewrites the records it reaches (storage/candidate-record.ts).
//
// `keys` holds the record's "Type/id"s and `record` its NDJSON lines as exported, both joined by
// a newline, line i belonging to key i, sorted by type, then id (byte order, as "C" collates).
// `record` is stored out of line uncompressed (STORAGE EXTERNAL): compressing each patient's
// JSON on every write costs more write time than the saved bytes are worth.
//
// Existing rows move over; a patient's run_id becomes the one most of its rows carry (only a
// complete full run reads it, to prune, and such a run rewrites every candidate it keeps).
export const migration: Migration = {
  id: '040-candidate-record',
  sql: `
CREATE TABLE candidate_record (
  study_id   text NOT NULL,
  patient_id text NOT NULL,
  keys       text NOT NULL,
  record     text NOT NULL,
  -- The run (or delta merge) that last wrote the record; a complete full run drops the others.
  run_id     text,
  PRIMARY KEY (study_id, patient_id)
);

ALTER TABLE candidate_record ALTER COLUMN record SET STORAGE EXTERNAL;

INSERT INTO candidate_record (study_id, patient_id, keys, record, run_id)
SELECT study_id, patient_id,
       string_agg(resource_type || '/' || resource_id, E'\\n' ORDER BY resource_type COLLATE "C", resource_id COLLATE "C"),
       string_agg(resource, E'\\n' ORDER BY resource_type COLLATE "C", resource_id COLLATE "C"),
       mode() WITHIN GROUP (ORDER BY run_id)
FROM candidate_resource
GROUP BY study_id, patient_id;

DROP TABLE candidate_resource;
`,
};
