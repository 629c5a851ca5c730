// The resource store's SQL (candidate_record, migration 040), behind the RunStore methods.
// Writes send many patients in one statement as a `json` parameter (not jsonb: nothing here
// needs it built). A delta merge locks the records it reaches, merges them in TypeScript
// (candidate-record.ts) and writes them back in the same transaction.

import {
  applyDelta,
  keyOf,
  linesOf,
  parseRecord,
  recordLines,
  recordText,
  type RecordLines,
  type ResourceDelta,
  type StoredResourceGroup,
} from './candidate-record.js';
import type { SqlConnection, SqlExecutor } from './sql-connection.js';

export async function replaceRecords(connection: SqlConnection, studyId: string, runId: string, groups: readonly StoredResourceGroup[]): Promise<void> {
  if (groups.length === 0) return;
  const records = new Map<string, RecordLines>();
  for (const g of groups) records.set(g.patientId, linesOf(g.resources, records.get(g.patientId)));
  await connection.transaction((tx) => writeRecords(tx, studyId, runId, records, [...records.keys()]));
}

export async function readRecords(connection: SqlConnection, studyId: string, patientIds: readonly string[]): Promise<Map<string, string[]>> {
  const byPatient = new Map<string, string[]>(patientIds.map((id) => [id, []]));
  if (patientIds.length === 0) return byPatient;
  const result = await connection.query<{ patient_id: string; record: string }>(
    'SELECT patient_id, record FROM candidate_record WHERE study_id = $1 AND patient_id = ANY($2::text[])',
    [studyId, patientIds],
  );
  for (const row of result.rows) byPatient.set(row.patient_id, recordLines(row.record));
  return byPatient;
}

export async function recordPatients(connection: SqlConnection, studyId: string): Promise<Set<string>> {
  const result = await connection.query<{ patient_id: string }>('SELECT patient_id FROM candidate_record WHERE study_id = $1', [studyId]);
  return new Set(result.rows.map((r) => r.patient_id));
}

export async function mergeIntoRecords(connection: SqlConnection, studyId: string, runId: string, delta: ResourceDelta): Promise<Set<string>> {
  const owners = [...new Set(delta.upserts.map((u) => u.patientId))];
  const keys = [...new Set([...delta.upserts, ...delta.shared, ...delta.deletes].map(keyOf))];
  if (keys.length === 0) return new Set();
  return connection.transaction(async (tx) => {
    const held = await tx.query<{ patient_id: string; keys: string; record: string }>(
      `SELECT patient_id, keys, record FROM candidate_record
       WHERE study_id = $1 AND (patient_id = ANY($2::text[]) OR string_to_array(keys, E'\\n') && $3::text[])
       FOR UPDATE`,
      [studyId, owners, keys],
    );
    const records = new Map(held.rows.map((r) => [r.patient_id, parseRecord(r)]));
    const touched = applyDelta(records, delta);
    await writeRecords(tx, studyId, runId, records, [...touched]);
    return touched;
  });
}

export async function pruneRecords(connection: SqlConnection, studyId: string, runId: string): Promise<number> {
  const result = await connection.query<{ n: number }>(
    `WITH gone AS (DELETE FROM candidate_record WHERE study_id = $1 AND run_id IS DISTINCT FROM $2 RETURNING 1)
     SELECT count(*)::int AS n FROM gone`,
    [studyId, runId],
  );
  return result.rows[0]?.n ?? 0;
}

/** Stores `records` of these patients; a patient among them without lines has no record after. */
async function writeRecords(tx: SqlExecutor, studyId: string, runId: string, records: ReadonlyMap<string, RecordLines>, patientIds: readonly string[]): Promise<void> {
  const rows: { p: string; k: string; r: string }[] = [];
  const emptied: string[] = [];
  for (const p of patientIds) {
    const lines = records.get(p);
    if (lines === undefined || lines.size === 0) {
      emptied.push(p);
      continue;
    }
    const { keys, record } = recordText(lines);
    rows.push({ p, k: keys, r: record });
  }
  if (emptied.length > 0) {
    await tx.query('DELETE FROM candidate_record WHERE study_id = $1 AND patient_id = ANY($2::text[])', [studyId, emptied]);
  }
  if (rows.length > 0) await tx.query(UPSERT_RECORDS, [studyId, runId, JSON.stringify(rows)]);
}

const UPSERT_RECORDS = `
INSERT INTO candidate_record (study_id, patient_id, keys, record, run_id)
SELECT $1, r.p, r.k, r.r, $2
FROM json_to_recordset($3::json) AS r(p text, k text, r text)
ON CONFLICT (study_id, patient_id) DO UPDATE SET
  keys = EXCLUDED.keys, record = EXCLUDED.record, run_id = EXCLUDED.run_id`;
