// Durable nightly runs (migration 002) on the same SqlConnection as the worklist. A batch of
// results is one transaction: the ResearchSubjects and the run's per-patient rows commit
// together, which is what lets `--resume` skip exactly the patients already done.
// The candidates' resource store (one record a patient, migration 040) is candidate-record-store.ts.

import { randomUUID } from 'node:crypto';
import type { ResourceDelta, StoredResourceGroup } from './candidate-record.js';
import { mergeIntoRecords, pruneRecords, readRecords, recordPatients, replaceRecords, type StudyRecords } from './candidate-record-store.js';
import type { SqlConnection } from './sql-connection.js';
import type { StoredSubject } from './store.js';
import { instantText } from './sql-instant.js';
import { upsertSubjectRows } from './subject-upsert.js';

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
  /** Failing criterion ids in protocol order. */
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
  /** The latest complete run of the study that saved a Bulk transactionTime (a partial run may have missed data). */
  lastTransactionTime(studyId: string): Promise<string | undefined>;
  /** patient refs already recorded for the run. */
  donePatients(runId: string): Promise<Set<string>>;
  /** patient refs with a stored ResearchSubject of the study (from any run or $screen). */
  storedPatientRefs(studyId: string): Promise<Set<string>>;
  /** All-or-nothing: subjects upserted (same row shape as Store.upsertSubject) and run rows inserted. */
  recordResults(runId: string, results: readonly RunPatientResult[]): Promise<void>;
  /** recordResults for several runs (a run of several studies) in one transaction: all or nothing. */
  recordRunsResults(parts: readonly RunResults[]): Promise<void>;
  runPatients(runId: string): Promise<RunPatientRow[]>;
  finishRun(id: string, status: RunStatus, counts: Record<string, unknown>, transactionTime?: string): Promise<void>;
  /**
   * Like recordResults, but a patient already recorded for the run is skipped (its subject not
   * upserted again): a queue chunk delivered twice still screens each patient exactly once.
   * Returns how many patients were new.
   */
  recordResultsOnce(runId: string, results: readonly RunPatientResult[]): Promise<number>;
  /** Of these patient refs, those with a stored ResearchSubject of the study. */
  storedAmong(studyId: string, patientRefs: readonly string[]): Promise<Set<string>>;
  /** The study's latest complete or partial run's counts.population (for delta runs). */
  lastPopulation(studyId: string): Promise<number | undefined>;
  // The resource store (migration 040).
  /** Replaces the stored record of each of these patients by the given lines (one transaction); no lines, no record. */
  replacePatientResources(studyId: string, runId: string, groups: readonly StoredResourceGroup[]): Promise<void>;
  /** replacePatientResources for several studies in one transaction: all or nothing. */
  replaceStudiesResources(parts: readonly StudyRecords[]): Promise<void>;
  /** Each patient's stored lines, by type, then id ([] without a record). */
  patientResources(studyId: string, patientIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Patient ids with a stored record. */
  resourcePatients(studyId: string): Promise<Set<string>>;
  /**
   * A `_since` delta: upserts replace by Type/id (moving it to its owner's record), deletes drop
   * Type/id, shared lines replace Type/id in every record holding it; returns the touched patients.
   */
  mergeDelta(studyId: string, runId: string, delta: ResourceDelta): Promise<Set<string>>;
  /** After a complete full run: drops the records that run did not write (patients no longer candidates); returns how many. */
  pruneResources(studyId: string, runId: string): Promise<number>;
}

export type { ResourceDelta, StoredResourceGroup } from './candidate-record.js';
export type { StudyRecords } from './candidate-record-store.js';

/** One run's part of a write of several runs' results. */
export interface RunResults {
  runId: string;
  results: readonly RunPatientResult[];
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

const RUN_COLUMNS = `
  id, study_id, to_char(as_of, 'YYYY-MM-DD') AS as_of, source, criteria_version,
  ${instantText('started')} AS started,
  ${instantText('finished')} AS finished,
  status, counts, transaction_time`;

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
       WHERE study_id = $1 AND transaction_time IS NOT NULL AND status = 'complete'
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

  recordResults(runId: string, results: readonly RunPatientResult[]): Promise<void> {
    return this.recordRunsResults([{ runId, results }]);
  }

  async recordRunsResults(parts: readonly RunResults[]): Promise<void> {
    const writes = parts
      .filter((p) => p.results.length > 0)
      .map(({ runId, results }) => ({ runId, subjects: results.flatMap((r) => (r.subject ? [r.subject] : [])), rows: JSON.stringify(results.map(runPatientRow)) }));
    if (writes.length === 0) return;
    await this.connection.transaction(async (tx) => {
      // Each run's subjects in statements of their own (a statement wants distinct ids).
      for (const { runId, subjects, rows } of writes) {
        if (subjects.length > 0) await upsertSubjectRows(tx, subjects);
        await tx.query(INSERT_RUN_PATIENTS, [runId, rows]);
      }
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

  async recordResultsOnce(runId: string, results: readonly RunPatientResult[]): Promise<number> {
    if (results.length === 0) return 0;
    const rows = results.map(runPatientRow);
    return this.connection.transaction(async (tx) => {
      const inserted = await tx.query<{ patient_ref: string }>(INSERT_RUN_PATIENTS_ONCE, [runId, JSON.stringify(rows)]);
      const fresh = new Set(inserted.rows.map((r) => r.patient_ref));
      const subjects = results.flatMap((r) => (r.subject && fresh.has(r.patientRef) ? [r.subject] : []));
      if (subjects.length > 0) await upsertSubjectRows(tx, subjects);
      return fresh.size;
    });
  }

  async storedAmong(studyId: string, patientRefs: readonly string[]): Promise<Set<string>> {
    if (patientRefs.length === 0) return new Set();
    const result = await this.connection.query<{ patient_ref: string }>(
      'SELECT patient_ref FROM research_subject WHERE study_id = $1 AND patient_ref = ANY($2::text[])',
      [studyId, patientRefs],
    );
    return new Set(result.rows.map((r) => r.patient_ref));
  }

  async lastPopulation(studyId: string): Promise<number | undefined> {
    const result = await this.connection.query<{ population: string | null }>(
      `SELECT counts->>'population' AS population FROM screening_run
       WHERE study_id = $1 AND status IN ('complete', 'partial') AND counts ? 'population'
       ORDER BY finished DESC LIMIT 1`,
      [studyId],
    );
    const value = result.rows[0]?.population;
    return value === undefined || value === null ? undefined : Number(value);
  }

  replacePatientResources(studyId: string, runId: string, groups: readonly StoredResourceGroup[]): Promise<void> {
    return replaceRecords(this.connection, [{ studyId, runId, groups }]);
  }

  replaceStudiesResources(parts: readonly StudyRecords[]): Promise<void> {
    return replaceRecords(this.connection, parts);
  }

  patientResources(studyId: string, patientIds: readonly string[]): Promise<Map<string, string[]>> {
    return readRecords(this.connection, studyId, patientIds);
  }

  resourcePatients(studyId: string): Promise<Set<string>> {
    return recordPatients(this.connection, studyId);
  }

  mergeDelta(studyId: string, runId: string, delta: ResourceDelta): Promise<Set<string>> {
    return mergeIntoRecords(this.connection, studyId, runId, delta);
  }

  pruneResources(studyId: string, runId: string): Promise<number> {
    return pruneRecords(this.connection, studyId, runId);
  }
}

const INSERT_RUN_PATIENTS_ONCE = `${INSERT_RUN_PATIENTS}
ON CONFLICT (run_id, patient_ref) DO NOTHING
RETURNING patient_ref`;

function runPatientRow(r: RunPatientResult): Record<string, unknown> {
  return {
    patient_ref: r.patientRef,
    subject_id: r.subject?.id ?? null,
    status: r.status,
    failing: r.failing,
    results: r.results,
    eligible_from: r.eligibleFrom ?? null,
  };
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
