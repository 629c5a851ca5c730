// Durable nightly runs (migration 002) on the same SqlConnection as the worklist. A batch of
// results is one transaction: the ResearchSubjects and the run's per-patient rows commit
// together, which is what lets `--resume` skip exactly the patients already done.

import { randomUUID } from 'node:crypto';
import type { SqlConnection } from './sql-connection.js';
import type { StoredSubject } from './store.js';

export type RunStatus = 'running' | 'complete' | 'partial' | 'failed';

export interface ScreeningRun {
  id: string;
  studyId: string;
  asOf: string;
  source: string;
  criteriaVersion: string;
  started: string;
  finished?: string;
  status: RunStatus;
  counts: Record<string, unknown>;
  transactionTime?: string;
}

/** One screened patient of a run; `subject` is set when a ResearchSubject is (up)stored. */
export interface RunPatientResult {
  patientRef: string;
  /** candidate / potential-candidate / ineligible, or `not-screened` (data problem). */
  status: string;
  /** Failing criterion ids in criteria.md order. */
  failing: string[];
  /** criterion id → met / not-met / unknown. */
  results: Record<string, string>;
  eligibleFrom?: string;
  subject?: Omit<StoredSubject, 'lastUpdated'>;
}

export interface RunPatientRow {
  patientRef: string;
  subjectId: string | undefined;
  status: string;
  failing: string[];
  results: Record<string, string>;
  eligibleFrom: string | undefined;
}

export interface NewRun {
  studyId: string;
  asOf: string;
  source: string;
  criteriaVersion: string;
}

export interface RunStore {
  createRun(run: NewRun): Promise<ScreeningRun>;
  getRun(id: string): Promise<ScreeningRun | undefined>;
  /** The latest run of this study and asOf that did not finish (running, or failed). */
  findResumableRun(studyId: string, asOf: string): Promise<ScreeningRun | undefined>;
  /** The latest complete run of the study other than `exceptRunId`, by finish time. */
  previousCompleteRun(studyId: string, exceptRunId: string): Promise<ScreeningRun | undefined>;
  /** The latest run of the study (any source) that saved a Bulk transactionTime. */
  lastTransactionTime(studyId: string): Promise<string | undefined>;
  /** patient refs already recorded for the run. */
  donePatients(runId: string): Promise<Set<string>>;
  /** patient refs with a stored ResearchSubject of the study (from any run or $screen). */
  storedPatientRefs(studyId: string): Promise<Set<string>>;
  /** All-or-nothing: subjects upserted (same row shape as Store.upsertSubject) and run rows inserted. */
  recordResults(runId: string, results: readonly RunPatientResult[]): Promise<void>;
  runPatients(runId: string): Promise<RunPatientRow[]>;
  finishRun(id: string, status: RunStatus, counts: Record<string, unknown>, transactionTime?: string): Promise<void>;
}

interface RunRow {
  id: string;
  study_id: string;
  as_of: string;
  source: string;
  criteria_version: string;
  started: string;
  finished: string | null;
  status: RunStatus;
  counts: Record<string, unknown>;
  transaction_time: string | null;
}

const INSTANT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const RUN_COLUMNS = `
  id, study_id, to_char(as_of, 'YYYY-MM-DD') AS as_of, source, criteria_version,
  to_char(started AT TIME ZONE 'UTC', ${INSTANT}) AS started,
  to_char(finished AT TIME ZONE 'UTC', ${INSTANT}) AS finished,
  status, counts, transaction_time`;

// The same row and the same meta (versionId, lastUpdated cut to milliseconds) as SqlStore's
// upsert, for many subjects in one statement: the finder writes hundreds per transaction.
const UPSERT_SUBJECTS = `
INSERT INTO research_subject AS current
  (id, study_id, patient_ref, status, as_of, criteria_version, resource, version_id, last_updated)
SELECT r.id, r.study_id, r.patient_ref, r.status, r.as_of, r.criteria_version,
       r.resource || jsonb_build_object('meta', jsonb_build_object(
         'versionId', '1',
         'lastUpdated', to_char(date_trunc('milliseconds', now()) AT TIME ZONE 'UTC', ${INSTANT}))),
       1, date_trunc('milliseconds', now())
FROM jsonb_to_recordset($1::jsonb) AS r(
  id text, study_id text, patient_ref text, status text, as_of date, criteria_version text, resource jsonb)
ON CONFLICT (id) DO UPDATE SET
  study_id = EXCLUDED.study_id,
  patient_ref = EXCLUDED.patient_ref,
  status = EXCLUDED.status,
  as_of = EXCLUDED.as_of,
  criteria_version = EXCLUDED.criteria_version,
  resource = EXCLUDED.resource || jsonb_build_object('meta', jsonb_build_object(
    'versionId', (current.version_id + 1)::text,
    'lastUpdated', to_char(EXCLUDED.last_updated AT TIME ZONE 'UTC', ${INSTANT}))),
  version_id = current.version_id + 1,
  last_updated = EXCLUDED.last_updated`;

// A plain INSERT: a patient recorded twice in one run is a bug, and the primary key says so.
const INSERT_RUN_PATIENTS = `
INSERT INTO screening_run_patient (run_id, patient_ref, subject_id, status, failing, results, eligible_from)
SELECT $1, r.patient_ref, r.subject_id, r.status, r.failing, r.results, r.eligible_from
FROM jsonb_to_recordset($2::jsonb) AS r(
  patient_ref text, subject_id text, status text, failing jsonb, results jsonb, eligible_from date)`;

export class SqlRunStore implements RunStore {
  constructor(private readonly connection: SqlConnection) {}

  async createRun(run: NewRun): Promise<ScreeningRun> {
    const result = await this.connection.query<RunRow>(
      `INSERT INTO screening_run (id, study_id, as_of, source, criteria_version, status)
       VALUES ($1, $2, $3::date, $4, $5, 'running') RETURNING ${RUN_COLUMNS}`,
      [randomUUID(), run.studyId, run.asOf, run.source, run.criteriaVersion],
    );
    return runOf(result.rows[0]!);
  }

  async getRun(id: string): Promise<ScreeningRun | undefined> {
    const result = await this.connection.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM screening_run WHERE id = $1`, [id]);
    return result.rows[0] === undefined ? undefined : runOf(result.rows[0]);
  }

  async findResumableRun(studyId: string, asOf: string): Promise<ScreeningRun | undefined> {
    const result = await this.connection.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM screening_run
       WHERE study_id = $1 AND as_of = $2::date AND status IN ('running', 'failed')
       ORDER BY screening_run.started DESC LIMIT 1`,
      [studyId, asOf],
    );
    return result.rows[0] === undefined ? undefined : runOf(result.rows[0]);
  }

  async previousCompleteRun(studyId: string, exceptRunId: string): Promise<ScreeningRun | undefined> {
    const result = await this.connection.query<RunRow>(
      `SELECT ${RUN_COLUMNS} FROM screening_run
       WHERE study_id = $1 AND id <> $2 AND status = 'complete'
       ORDER BY screening_run.finished DESC LIMIT 1`,
      [studyId, exceptRunId],
    );
    return result.rows[0] === undefined ? undefined : runOf(result.rows[0]);
  }

  async lastTransactionTime(studyId: string): Promise<string | undefined> {
    const result = await this.connection.query<{ transaction_time: string }>(
      `SELECT transaction_time FROM screening_run
       WHERE study_id = $1 AND transaction_time IS NOT NULL AND status IN ('complete', 'partial')
       ORDER BY finished DESC LIMIT 1`,
      [studyId],
    );
    return result.rows[0]?.transaction_time;
  }

  async donePatients(runId: string): Promise<Set<string>> {
    const result = await this.connection.query<{ patient_ref: string }>(
      'SELECT patient_ref FROM screening_run_patient WHERE run_id = $1',
      [runId],
    );
    return new Set(result.rows.map((r) => r.patient_ref));
  }

  async storedPatientRefs(studyId: string): Promise<Set<string>> {
    const result = await this.connection.query<{ patient_ref: string }>(
      'SELECT patient_ref FROM research_subject WHERE study_id = $1',
      [studyId],
    );
    return new Set(result.rows.map((r) => r.patient_ref));
  }

  async recordResults(runId: string, results: readonly RunPatientResult[]): Promise<void> {
    if (results.length === 0) return;
    const subjects = results.flatMap((r) =>
      r.subject
        ? [
            {
              id: r.subject.id,
              study_id: r.subject.studyId,
              patient_ref: r.subject.patientRef,
              status: r.subject.status,
              as_of: r.subject.asOf,
              criteria_version: r.subject.criteriaVersion,
              resource: r.subject.resource,
            },
          ]
        : [],
    );
    const rows = results.map((r) => ({
      patient_ref: r.patientRef,
      subject_id: r.subject?.id ?? null,
      status: r.status,
      failing: r.failing,
      results: r.results,
      eligible_from: r.eligibleFrom ?? null,
    }));
    await this.connection.transaction(async (tx) => {
      if (subjects.length > 0) await tx.query(UPSERT_SUBJECTS, [JSON.stringify(subjects)]);
      await tx.query(INSERT_RUN_PATIENTS, [runId, JSON.stringify(rows)]);
    });
  }

  async runPatients(runId: string): Promise<RunPatientRow[]> {
    const result = await this.connection.query<{
      patient_ref: string;
      subject_id: string | null;
      status: string;
      failing: string[];
      results: Record<string, string>;
      eligible_from: string | null;
    }>(
      `SELECT patient_ref, subject_id, status, failing, results,
              to_char(eligible_from, 'YYYY-MM-DD') AS eligible_from
       FROM screening_run_patient WHERE run_id = $1 ORDER BY patient_ref`,
      [runId],
    );
    return result.rows.map((r) => ({
      patientRef: r.patient_ref,
      subjectId: r.subject_id ?? undefined,
      status: r.status,
      failing: r.failing,
      results: r.results,
      eligibleFrom: r.eligible_from ?? undefined,
    }));
  }

  async finishRun(id: string, status: RunStatus, counts: Record<string, unknown>, transactionTime?: string): Promise<void> {
    await this.connection.query(
      `UPDATE screening_run SET status = $2, counts = $3::jsonb, finished = now(),
         transaction_time = COALESCE($4, transaction_time)
       WHERE id = $1`,
      [id, status, JSON.stringify(counts), transactionTime ?? null],
    );
  }
}

function runOf(row: RunRow): ScreeningRun {
  const run: ScreeningRun = {
    id: row.id,
    studyId: row.study_id,
    asOf: row.as_of,
    source: row.source,
    criteriaVersion: row.criteria_version,
    started: row.started,
    status: row.status,
    counts: row.counts,
  };
  if (row.finished !== null) run.finished = row.finished;
  if (row.transaction_time !== null) run.transactionTime = row.transaction_time;
  return run;
}
