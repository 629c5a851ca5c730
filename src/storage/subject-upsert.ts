// The one statement that stores ResearchSubjects, for $screen, CDS Hooks and the nightly finder:
// many subjects from one jsonb array, each row written once with its meta (versionId and
// lastUpdated cut to milliseconds, any other meta the resource carries kept). Writing the row
// and then patching meta into it wrote every resource twice; the resource is most of the row.

import { instantText } from './sql-instant.js';
import type { StoredSubject } from './store.js';

const withMeta = (resource: string, versionId: string, at: string) =>
  `${resource} || jsonb_build_object('meta', coalesce(${resource} -> 'meta', '{}'::jsonb) || jsonb_build_object(
     'versionId', ${versionId},
     'lastUpdated', ${instantText(at)}))`;

/** $1: a jsonb array of subjectRow()s with distinct ids (one statement cannot update a row twice). */
export const UPSERT_SUBJECTS = `
INSERT INTO research_subject AS current
  (id, study_id, patient_ref, status, as_of, criteria_version, resource, version_id, last_updated)
SELECT r.id, r.study_id, r.patient_ref, r.status, r.as_of, r.criteria_version,
       ${withMeta('r.resource', `'1'`, `date_trunc('milliseconds', now())`)},
       1, date_trunc('milliseconds', now())
FROM jsonb_to_recordset($1::jsonb) AS r(
  id text, study_id text, patient_ref text, status text, as_of date, criteria_version text, resource jsonb)
ON CONFLICT (id) DO UPDATE SET
  study_id = EXCLUDED.study_id,
  patient_ref = EXCLUDED.patient_ref,
  status = EXCLUDED.status,
  as_of = EXCLUDED.as_of,
  criteria_version = EXCLUDED.criteria_version,
  resource = ${withMeta('EXCLUDED.resource', `(current.version_id + 1)::text`, 'EXCLUDED.last_updated')},
  version_id = current.version_id + 1,
  last_updated = EXCLUDED.last_updated
RETURNING id, version_id, ${instantText('last_updated')} AS last_updated`;

export interface UpsertedRow {
  id: string;
  version_id: number;
  last_updated: string;
}

export function subjectRow(s: Omit<StoredSubject, 'lastUpdated'>): Record<string, unknown> {
  return {
    id: s.id,
    study_id: s.studyId,
    patient_ref: s.patientRef,
    status: s.status,
    as_of: s.asOf,
    criteria_version: s.criteriaVersion,
    resource: s.resource,
  };
}

/** The subject as stored: the meta the statement wrote, rebuilt from what it returned. */
export function storedSubject(s: Omit<StoredSubject, 'lastUpdated'>, row: UpsertedRow): StoredSubject {
  const meta = s.resource['meta'];
  const kept = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta : {};
  const resource = { ...s.resource, meta: { ...kept, versionId: String(row.version_id), lastUpdated: row.last_updated } };
  return { ...s, resource, lastUpdated: row.last_updated };
}
