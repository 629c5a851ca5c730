import type { Migration } from './migration.js';

// A hash of the stored resource without its meta: screening a patient again on unchanged data
// gives the same result, and storing it again is not a new version (no versionId or lastUpdated
// bump), as a FHIR server treats an update that changes nothing. Rows from before this
// migration have none, so their next write always counts as a change.
export const migration: Migration = {
  id: '040-research-subject-content-hash',
  sql: `ALTER TABLE research_subject ADD COLUMN content_hash text;`,
};
