// The one statement that stores ResearchSubjects, for $screen, CDS Hooks and the nightly finder:
// many subjects from one json array, each row written once. The resource is kept as the JSON
// text it arrived as (migration 050); its meta.versionId and meta.lastUpdated are the row's
// version_id and last_updated, put on when the row is read (withStoredMeta), so the statement
// never parses or rewrites the resource. json (not jsonb) keeps each resource as the slice of
// text it was in the array.

import type { ResourceJson } from './resource-json.js';
import { instantText } from './sql-instant.js';
import type { NewSubject, NewSubjectJson, StoredSubject } from './store.js';

/** $1: subjectRowsJson() of subjects with distinct ids (one statement cannot update a row twice). */
export const UPSERT_SUBJECTS = `
INSERT INTO research_subject AS current
  (id, study_id, patient_ref, status, as_of, criteria_version, resource, version_id, last_updated)
SELECT r.id, r.study_id, r.patient_ref, r.status, r.as_of, r.criteria_version, r.resource::text,
       1, date_trunc('milliseconds', now())
FROM json_to_recordset($1::json) AS r(
  id text, study_id text, patient_ref text, status text, as_of date, criteria_version text, resource json)
ON CONFLICT (id) DO UPDATE SET
  study_id = EXCLUDED.study_id,
  patient_ref = EXCLUDED.patient_ref,
  status = EXCLUDED.status,
  as_of = EXCLUDED.as_of,
  criteria_version = EXCLUDED.criteria_version,
  resource = EXCLUDED.resource,
  version_id = current.version_id + 1,
  last_updated = EXCLUDED.last_updated
RETURNING id, version_id, ${instantText('last_updated')} AS last_updated`;

export interface UpsertedRow {
  id: string;
  version_id: number;
  last_updated: string;
}

/**
 * $1 of UPSERT_SUBJECTS: a json array, one object a subject. A resource given as JSON text goes
 * in as that text, not parsed and stringified again: ResourceJson is JSON.stringify's output
 * for an object we rendered (resource-json.ts), so it is one well-formed JSON value and the
 * array stays well formed. A resource given as an object is stringified here, to the same text.
 */
export function subjectRowsJson(subjects: readonly (NewSubject | NewSubjectJson)[]): string {
  let json = '[';
  for (const s of subjects) {
    if (json.length > 1) json += ',';
    const columns = JSON.stringify({
      id: s.id,
      study_id: s.studyId,
      patient_ref: s.patientRef,
      status: s.status,
      as_of: s.asOf,
      criteria_version: s.criteriaVersion,
    });
    const resource = 'resourceJson' in s ? s.resourceJson : (JSON.stringify(s.resource) as ResourceJson | undefined);
    // A column left undefined is left out, as JSON.stringify of the whole row would.
    if (resource === undefined) json += columns;
    else json += `${columns.length > 2 ? `${columns.slice(0, -1)},` : '{'}"resource":${resource}}`;
  }
  return `${json}]`;
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
