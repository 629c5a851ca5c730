import type { Migration } from './migration.js';

// A study's CDS feedback summary counts the cards of every service about that study (its own
// service's and trials-prescreen's), so cards are looked up by study.
export const migration: Migration = {
  id: '051-cds-card-study',
  sql: `
CREATE INDEX cds_card_study_idx ON cds_card (study_id);
`,
};
