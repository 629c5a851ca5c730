// The one statement that stores ResearchSubjects, for $screen, CDS Hooks and the nightly finder:
// many subjects in one VALUES list, each row written once. The resource is kept as the JSON
// text it arrived as (migration 050); its meta.versionId and meta.lastUpdated are the row's
// version_id and last_updated, put on when the row is read (withStoredMeta), so the statement
// never rewrites the resource. The text goes in unchecked, with no json cast: it is always
// JSON.stringify's output (an object's, or a ResourceJson, resource-json.ts), and a cast would
// have the database parse tens of kB again on every write only to check it.
// A stored result for a later asOf is kept: a screening of an earlier date (re-screening the
// past, or a late delivery) does not replace it, and the statement returns no row for it.

import type { SqlExecutor } from './sql-connection.js';
import { instantText } from './sql-instant.js';
import type { NewSubject, NewSubjectJson, StoredSubject } from './store.js';

/** Subjects one statement carries at most: 7 parameters each, well under the protocol's 65,535. */
export const SUBJECTS_PER_STATEMENT = 1000;

/**
 * The upsert of some subjects with distinct ids (one statement cannot update a row twice), at
 * most SUBJECTS_PER_STATEMENT: one VALUES row of parameters each. Each resource is its own text
 * parameter, so the database reads it once, as the column's json; a single json array of every
 * row (json_to_recordset) would have the database parse all of it again to split it, a large
 * part of the statement's cost for a ResearchSubject of tens of kB.
 */
export function subjectUpsert(subjects: readonly (NewSubject | NewSubjectJson)[]): { text: string; values: unknown[] } {
  if (subjects.length > SUBJECTS_PER_STATEMENT) throw new Error(`at most ${SUBJECTS_PER_STATEMENT} subjects a statement`);
  const rows: string[] = [];
  const values: unknown[] = [];
  for (const s of subjects) {
    const p = values.length;
    rows.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::date, $${p + 6}, $${p + 7})`);
    values.push(s.id, s.studyId, s.patientRef, s.status, s.asOf, s.criteriaVersion ?? null, resourceText(s) ?? null);
  }
  return {
    text: `
INSERT INTO research_subject AS current
  (id, study_id, patient_ref, status, as_of, criteria_version, resource, version_id, last_updated)
SELECT r.id, r.study_id, r.patient_ref, r.status, r.as_of, r.criteria_version, r.resource, 1, date_trunc('milliseconds', now())
FROM (VALUES ${rows.join(', ')}) AS r(id, study_id, patient_ref, status, as_of, criteria_version, resource)
ON CONFLICT (id) DO UPDATE SET
  study_id = EXCLUDED.study_id,
  patient_ref = EXCLUDED.patient_ref,
  status = EXCLUDED.status,
  as_of = EXCLUDED.as_of,
  criteria_version = EXCLUDED.criteria_version,
  resource = EXCLUDED.resource,
  version_id = current.version_id + 1,
  last_updated = EXCLUDED.last_updated
WHERE current.as_of <= EXCLUDED.as_of
RETURNING id, version_id, ${instantText('last_updated')} AS last_updated`,
    values,
  };
}

/** A resource given as JSON text goes in as that text; one given as an object is stringified to the same text. */
function resourceText(s: NewSubject | NewSubjectJson): string | undefined {
  return 'resourceJson' in s ? s.resourceJson : JSON.stringify(s.resource);
}

/** Upserts subjects with distinct ids, SUBJECTS_PER_STATEMENT at a time; the rows it wrote (none for one kept out by a later asOf). */
export async function upsertSubjectRows(executor: SqlExecutor, subjects: readonly (NewSubject | NewSubjectJson)[]): Promise<UpsertedRow[]> {
  const out: UpsertedRow[] = [];
  for (let start = 0; start < subjects.length; start += SUBJECTS_PER_STATEMENT) {
    const { text, values } = subjectUpsert(subjects.slice(start, start + SUBJECTS_PER_STATEMENT));
    out.push(...(await executor.query<UpsertedRow>(text, values)).rows);
  }
  return out;
}

export interface UpsertedRow {
  id: string;
  version_id: number;
  last_updated: string;
}

/** The resource with the row's version in its meta; any other meta it carries is kept. */
export function withStoredMeta(resource: Record<string, unknown>, versionId: number, lastUpdated: string): Record<string, unknown> {
  const meta = resource['meta'];
  const kept = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta : {};
  return { ...resource, meta: { ...kept, versionId: String(versionId), lastUpdated } };
}

/** The subject as stored, rebuilt from what the statement returned. */
export function storedSubject(s: NewSubject, row: UpsertedRow): StoredSubject {
  return { ...s, resource: withStoredMeta(s.resource, row.version_id, row.last_updated), lastUpdated: row.last_updated };
}
