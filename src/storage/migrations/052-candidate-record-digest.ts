import type { Migration } from './migration.js';

// A record's SHA-256 (storage/candidate-record-store.ts): a night whose export repeats a
// candidate's record finds the digest equal and leaves the record as it is, instead of writing
// hundreds of kilobytes again. NULL (a row from before) never equals, so the record is written.
export const migration: Migration = {
  id: '052-candidate-record-digest',
  sql: `
ALTER TABLE candidate_record ADD COLUMN digest text;
`,
};
