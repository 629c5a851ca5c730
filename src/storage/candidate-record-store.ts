// The resource store's SQL (candidate_record, migration 040), behind the RunStore methods.
// A delta merge locks the records it reaches, merges them in TypeScript (candidate-record.ts)
// and writes them back in the same transaction.
//
// Records travel as UTF-8 bytes, many patients a statement: no JSON to escape and parse again
// (a json payload costs the server more CPU than the insert itself), and untouched by
// storableParams, whose jsonb-minded rewrite of `\u0000` escapes a text column does not need.
// pg sends a Buffer as binary. PGlite hex-encodes a Buffer one byte at a time in JavaScript
// (slower than json), so it gets the text itself, wrapped so that storableParams leaves it
// alone: half the characters of hex text, and no decode on the server.
// A record's lines were each parsed as JSON before being stored, so they hold no NUL.

import { createHash } from 'node:crypto';
import {
  applyDelta,
  joined,
  keyOf,
  linesOf,
  parseRecord,
  recordLines,
  sortedRecord,
  type RecordLines,
  type ResourceDelta,
  type SortedRecord,
  type StoredResourceGroup,
} from './candidate-record.js';
import { VerbatimText } from './pglite-connection.js';
import type { SqlConnection, SqlExecutor } from './sql-connection.js';

/** One study's part of a write of several: the records of these patients in its store. */
export interface StudyRecords {
  studyId: string;
  runId: string;
  groups: readonly StoredResourceGroup[];
}

/** Replaces each part's records in one transaction: all the parts or none. */
export async function replaceRecords(connection: SqlConnection, parts: readonly StudyRecords[]): Promise<void> {
  const writes = parts
    .filter((p) => p.groups.length > 0)
    .map(({ studyId, runId, groups }) => {
      // The same patient twice in a part: the later of two lines with one Type/id wins.
      const records = new Map<string, RecordLines>();
      for (const g of groups) records.set(g.patientId, linesOf(g.resources, records.get(g.patientId)));
      return { studyId, runId, records };
    });
  if (writes.length === 0) return;
  const bytes = bytesParam(connection.kind);
  await connection.transaction(async (tx) => {
    for (const w of writes) await writeRecords(tx, bytes, w.studyId, w.runId, w.records, [...w.records.keys()]);
  });
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

/**
 * Locks every record the delta reaches, then merges them a part at a time (about PART_BYTES
 * of records): a Medication every candidate holds must not bring the whole store into memory
 * at once, nor into PGlite's, which never shrinks.
 */
export async function mergeIntoRecords(
  connection: SqlConnection,
  studyId: string,
  runId: string,
  delta: ResourceDelta,
  partBytes = PART_BYTES,
): Promise<Set<string>> {
  const owners = [...new Set(delta.upserts.map((u) => u.patientId))];
  const keys = [...new Set([...delta.upserts, ...delta.shared, ...delta.deletes].map(keyOf))];
  if (keys.length === 0) return new Set();
  const bytes = bytesParam(connection.kind);
  return connection.transaction(async (tx) => {
    const held = await tx.query<{ patient_id: string; size: number }>(
      `SELECT patient_id, octet_length(record) AS size FROM candidate_record
       WHERE study_id = $1
         AND (patient_id = ANY($2::text[]) OR string_to_array(keys, E'\\n') && string_to_array(${bytes.text(3)}, E'\\n'))
       ORDER BY patient_id
       FOR UPDATE`,
      [studyId, owners, bytes.of(keys.join('\n'))],
    );
    const stored = new Set(held.rows.map((r) => r.patient_id));
    const parts: string[][] = [];
    let part: string[] = [];
    let size = 0;
    for (const row of held.rows) {
      part.push(row.patient_id);
      size += Number(row.size);
      if (size >= partBytes) {
        parts.push(part);
        part = [];
        size = 0;
      }
    }
    if (part.length > 0) parts.push(part);
    // Owners without a record yet get theirs in a part of their own.
    const fresh = owners.filter((p) => !stored.has(p));
    if (fresh.length > 0) parts.push(fresh);
    const touched = new Set<string>();
    for (const ids of parts) {
      const inPart = new Set(ids);
      const rows = await tx.query<{ patient_id: string; keys: string; record: string }>(
        'SELECT patient_id, keys, record FROM candidate_record WHERE study_id = $1 AND patient_id = ANY($2::text[])',
        [studyId, ids],
      );
      const records = new Map(rows.rows.map((r) => [r.patient_id, parseRecord(r)]));
      const changed = applyDelta(records, delta, (p) => inPart.has(p));
      await writeRecords(tx, bytes, studyId, runId, records, [...changed]);
      for (const p of changed) touched.add(p);
    }
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
async function writeRecords(tx: SqlExecutor, bytes: BytesParam, studyId: string, runId: string, records: ReadonlyMap<string, RecordLines>, patientIds: readonly string[]): Promise<void> {
  const sorted = new Map<string, SortedRecord | undefined>();
  for (const p of patientIds) {
    const lines = records.get(p);
    sorted.set(p, lines === undefined || lines.size === 0 ? undefined : sortedRecord(lines));
  }
  await writeSorted(tx, bytes, studyId, runId, sorted);
}

/**
 * Stores each patient's record; a patient whose record is undefined has none after. A record
 * whose digest equals the stored one is not written again (nor its text joined), only marked
 * as this run's: most of a night's candidates come back with the record they had the night
 * before, and writing their text again was most of a night's work on PGlite.
 */
async function writeSorted(tx: SqlExecutor, bytes: BytesParam, studyId: string, runId: string, records: ReadonlyMap<string, SortedRecord | undefined>): Promise<void> {
  const rows: { patientId: string; sorted: SortedRecord; digest: string }[] = [];
  const emptied: string[] = [];
  for (const [patientId, sorted] of records) {
    if (sorted === undefined) emptied.push(patientId);
    else rows.push({ patientId, sorted, digest: digestOf(sorted) });
  }
  if (emptied.length > 0) {
    await tx.query('DELETE FROM candidate_record WHERE study_id = $1 AND patient_id = ANY($2::text[])', [studyId, emptied]);
  }
  if (rows.length === 0) return;
  const held = await tx.query<{ patient_id: string; digest: string | null }>(
    'SELECT patient_id, digest FROM candidate_record WHERE study_id = $1 AND patient_id = ANY($2::text[])',
    [studyId, rows.map((r) => r.patientId)],
  );
  const heldDigest = new Map(held.rows.map((r) => [r.patient_id, r.digest]));
  const same: string[] = [];
  const changed: typeof rows = [];
  for (const r of rows) {
    if (heldDigest.get(r.patientId) === r.digest) same.push(r.patientId);
    else changed.push(r);
  }
  if (same.length > 0) {
    await tx.query('UPDATE candidate_record SET run_id = $2 WHERE study_id = $1 AND patient_id = ANY($3::text[]) AND run_id IS DISTINCT FROM $2', [studyId, runId, same]);
  }
  for (let i = 0; i < changed.length; ) {
    const params: unknown[] = [studyId, runId];
    const values: string[] = [];
    let size = 0;
    for (; i < changed.length && values.length < ROWS_PER_STATEMENT && size < PART_BYTES; i++) {
      const { patientId, sorted, digest } = changed[i]!;
      const text = joined(sorted);
      params.push(patientId, bytes.of(text.keys), bytes.of(text.record), digest);
      size += text.record.length;
      const n = params.length;
      values.push(`($1, $${n - 3}, ${bytes.text(n - 2)}, ${bytes.text(n - 1)}, $2, $${n})`);
    }
    await tx.query(
      `INSERT INTO candidate_record (study_id, patient_id, keys, record, run_id, digest) VALUES ${values.join(', ')}
       ON CONFLICT (study_id, patient_id) DO UPDATE SET keys = EXCLUDED.keys, record = EXCLUDED.record, run_id = EXCLUDED.run_id, digest = EXCLUDED.digest`,
      params,
    );
  }
}

/**
 * SHA-256 of a record's two columns as stored (keys joined by newlines, a NUL, lines joined by
 * newlines), hashed piece by piece so an unchanged record is never joined. Neither column holds
 * a NUL: stored lines were parsed as JSON, keys are printable.
 */
function digestOf(sorted: SortedRecord): string {
  const hash = createHash('sha256');
  sorted.keys.forEach((key, i) => {
    if (i > 0) hash.update('\n');
    hash.update(key);
  });
  hash.update('\0');
  sorted.lines.forEach((line, i) => {
    if (i > 0) hash.update('\n');
    hash.update(line);
  });
  return hash.digest('base64');
}

// Four parameters a row, well under the protocol's 65,535.
const ROWS_PER_STATEMENT = 1000;
/** Record text a statement or a merge's part, about: PGlite's memory grows to the largest. */
const PART_BYTES = 1024 * 1024;

interface BytesParam {
  /** The parameter value for a text. */
  of(text: string): unknown;
  /** SQL turning parameter $n back into text. */
  text(n: number): string;
}

function bytesParam(kind: SqlConnection['kind']): BytesParam {
  return kind === 'postgres'
    ? { of: (text) => Buffer.from(text, 'utf8'), text: (n) => `convert_from($${n}::bytea, 'UTF8')` }
    : { of: (text) => new VerbatimText(text), text: (n) => `$${n}::text` };
}
