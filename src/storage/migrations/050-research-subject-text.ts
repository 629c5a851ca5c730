import type { Migration } from './migration.js';

// The stored ResearchSubject as JSON text, not jsonb. Every CDS Hooks call and every finder
// batch writes one (tens of kB for a typical patient), and in the embedded PGlite, which
// shares the service's thread, building the jsonb and rewriting its meta in SQL costs more
// than storing the text, with meta put on when read (subject-upsert.ts). Nothing searches
// inside the resource on a hot path: the two filters that do (held-by, a decision's criterion
// result) cast it back to jsonb per row they look at.
// STORAGE EXTERNAL: out of line and uncompressed; pglz over tens of kB of JSON per write costs
// more than the bytes it saves.
export const migration: Migration = {
  id: '050-research-subject-text',
  sql: `
ALTER TABLE research_subject ALTER COLUMN resource TYPE text USING resource::text;
ALTER TABLE research_subject ALTER COLUMN resource SET STORAGE EXTERNAL;
`,
};
