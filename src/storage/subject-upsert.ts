// The one statement that stores ResearchSubjects, for $screen, CDS Hooks and the nightly finder:
// many subjects from one jsonb array, each row written once with its meta (versionId and
// lastUpdated cut to milliseconds, any other meta the resource carries kept). Writing the row
// and then patching meta into it wrote every resource twice; the resource is most of the row.
// A subject whose content (the resource without meta) is what is stored already is left as it
// is: same versionId, same lastUpdated, so the worklist's "changed since" means changed.

import { createHash } from 'node:crypto';
import type { StoredSubject } from './store.js';

export const INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

const withMeta = (resource: string, versionId: string, at: string) =>
  `${resource} || jsonb_build_object('meta', coalesce(${resource} -> 'meta', '{}'::jsonb) || jsonb_build_object(
     'versionId', ${versionId},
     'lastUpdated', to_char(${at} AT TIME ZONE 'UTC', ${INSTANT})))`;

/**
 * $1: a jsonb array of subjectRow()s with distinct ids (one statement cannot update a row
 * twice). Returns the rows it wrote; an unchanged subject is not among them.
 */
export const UPSERT_SUBJECTS = `
INSERT INTO research_subject AS current
  (id, study_id, patient_ref, status, as_of, criteria_version, resource, version_id, last_updated, content_hash)
SELECT r.id, r.study_id, r.patient_ref, r.status, r.as_of, r.criteria_version,
       ${withMeta('r.resource', `'1'`, `date_trunc('milliseconds', now())`)},
       1, date_trunc('milliseconds', now()), r.content_hash
FROM jsonb_to_recordset($1::jsonb) AS r(
  id text, study_id text, patient_ref text, status text, as_of date, criteria_version text, resource jsonb,
  content_hash text)
ON CONFLICT (id) DO UPDATE SET
  study_id = EXCLUDED.study_id,
  patient_ref = EXCLUDED.patient_ref,
  status = EXCLUDED.status,
  as_of = EXCLUDED.as_of,
  criteria_version = EXCLUDED.criteria_version,
  resource = ${withMeta('EXCLUDED.resource', `(current.version_id + 1)::text`, 'EXCLUDED.last_updated')},
  version_id = current.version_id + 1,
  last_updated = EXCLUDED.last_updated,
  content_hash = EXCLUDED.content_hash
WHERE current.content_hash IS DISTINCT FROM EXCLUDED.content_hash
RETURNING id, version_id, to_char(last_updated AT TIME ZONE 'UTC', ${INSTANT}) AS last_updated`;

export interface UpsertedRow {
  id: string;
  version_id: number;
  last_updated: string;
}

export interface CurrentVersionRow extends UpsertedRow {
  content_hash: string | null;
}

export function subjectRow(s: Omit<StoredSubject, 'lastUpdated'>): Record<string, unknown> {
  const row: Record<string, unknown> = {
    id: s.id,
    study_id: s.studyId,
    patient_ref: s.patientRef,
    status: s.status,
    as_of: s.asOf,
    criteria_version: s.criteriaVersion,
    resource: s.resource,
  };
  row['content_hash'] = contentHash(row);
  return row;
}

/** What makes two results the same: every column and the resource as rendered, meta aside. */
function contentHash(row: Record<string, unknown>): string {
  const resource = row['resource'] as Record<string, unknown>;
  return createHash('sha256')
    .update(JSON.stringify({ ...row, resource: { ...resource, meta: undefined } }))
    .digest('base64url');
}

/** The stored version of subjects that were not rewritten: $1 their ids. */
export const CURRENT_VERSIONS = `
SELECT id, version_id, to_char(last_updated AT TIME ZONE 'UTC', ${INSTANT}) AS last_updated, content_hash
FROM research_subject WHERE id = ANY($1::text[])`;

/** The subject as stored: the meta the statement wrote, rebuilt from what it returned. */
export function storedSubject(s: Omit<StoredSubject, 'lastUpdated'>, row: UpsertedRow): StoredSubject {
  const meta = s.resource['meta'];
  const kept = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta : {};
  const resource = { ...s.resource, meta: { ...kept, versionId: String(row.version_id), lastUpdated: row.last_updated } };
  return { ...s, resource, lastUpdated: row.last_updated };
}
