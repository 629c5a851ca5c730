// Durable nightly runs (migration 002) on the same SqlConnection as the worklist. A batch of
// results is one transaction: the ResearchSubjects and the run's per-patient rows commit
// together, which is what lets `--resume` skip exactly the patients already done.

import { randomUUID } from 'node:crypto';
import type { SqlConnection } from './sql-connection.js';
import type { StoredSubject } from './store.js';
import { instantText } from './sql-instant.js';
import { subjectRow, UPSERT_SUBJECTS } from './subject-upsert.js';

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
  /** The latest complete run of the study that saved a Bulk transactionTime (a partial run may have missed data). */
  lastTransactionTime(studyId: string): Promise<string | undefined>;
  /** patient refs already recorded for the run. */
  donePatients(runId: string): Promise<Set<string>>;
  /** patient refs with a stored ResearchSubject of the study (from any run or $screen). */
  storedPatientRefs(studyId: string): Promise<Set<string>>;
  /** All-or-nothing: subjects upserted (same row shape as Store.upsertSubject) and run rows inserted. */
  recordResults(runId: string, results: readonly RunPatientResult[]): Promise<void>;
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
  // The resource store (migration 003).
  /** Replaces every stored resource of these patients by the given lines (one transaction). */
  replacePatientResources(studyId: string, runId: string, groups: readonly StoredResourceGroup[]): Promise<void>;
  /** Each patient's stored lines. */
  patientResources(studyId: string, patientIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Patient ids with stored resources. */
  resourcePatients(studyId: string): Promise<Set<string>>;
  /** A `_since` delta: upserts replace by Type/id (and owner), deletes drop Type/id; returns the touched patients. */
  mergeDelta(studyId: string, runId: string, delta: ResourceDelta): Promise<Set<string>>;
  /** After a complete full run: drops the rows that run did not write (patients no longer candidates). */
  pruneResources(studyId: string, runId: string): Promise<number>;
}

export interface StoredResourceGroup {
  patientId: string;
  resources: { type: string; id: string; line: string }[];
}

export interface ResourceDelta {
  /** Owned resources: replace Type/id wherever stored, stored again for `patientId`. */
  upserts: { type: string; id: string; patientId: string; line: string }[];
  /** Shared resources (Medication): replace the text of Type/id for every patient holding it. */
  shared: { type: string; id: string; line: string }[];
  deletes: { type: string; id: string }[];
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

  async recordResults(runId: string, results: readonly RunPatientResult[]): Promise<void> {
    if (results.length === 0) return;
    const subjects = results.flatMap((r) => (r.subject ? [subjectRow(r.subject)] : []));
    const rows = results.map(runPatientRow);
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

  async recordResultsOnce(runId: string, results: readonly RunPatientResult[]): Promise<number> {
    if (results.length === 0) return 0;
    const rows = results.map(runPatientRow);
    return this.connection.transaction(async (tx) => {
      const inserted = await tx.query<{ patient_ref: string }>(INSERT_RUN_PATIENTS_ONCE, [runId, JSON.stringify(rows)]);
      const fresh = new Set(inserted.rows.map((r) => r.patient_ref));
      const subjects = results.flatMap((r) => (r.subject && fresh.has(r.patientRef) ? [subjectRow(r.subject)] : []));
      if (subjects.length > 0) await tx.query(UPSERT_SUBJECTS, [JSON.stringify(subjects)]);
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

  async replacePatientResources(studyId: string, runId: string, groups: readonly StoredResourceGroup[]): Promise<void> {
    if (groups.length === 0) return;
    const rows = groups.flatMap((g) => g.resources.map((r) => ({ t: r.type, i: r.id, p: g.patientId, l: r.line })));
    await this.connection.transaction(async (tx) => {
      await tx.query('DELETE FROM candidate_resource WHERE study_id = $1 AND patient_id = ANY($2::text[])', [
        studyId,
        groups.map((g) => g.patientId),
      ]);
      if (rows.length > 0) await tx.query(INSERT_RESOURCES, [studyId, runId, JSON.stringify(rows)]);
    });
  }

  async patientResources(studyId: string, patientIds: readonly string[]): Promise<Map<string, string[]>> {
    const byPatient = new Map<string, string[]>(patientIds.map((id) => [id, []]));
    if (patientIds.length === 0) return byPatient;
    const result = await this.connection.query<{ patient_id: string; resource: string }>(
      `SELECT patient_id, resource FROM candidate_resource
       WHERE study_id = $1 AND patient_id = ANY($2::text[]) ORDER BY patient_id, resource_type, resource_id`,
      [studyId, patientIds],
    );
    for (const row of result.rows) byPatient.get(row.patient_id)?.push(row.resource);
    return byPatient;
  }

  async resourcePatients(studyId: string): Promise<Set<string>> {
    const result = await this.connection.query<{ patient_id: string }>(
      'SELECT DISTINCT patient_id FROM candidate_resource WHERE study_id = $1',
      [studyId],
    );
    return new Set(result.rows.map((r) => r.patient_id));
  }

  async mergeDelta(studyId: string, runId: string, delta: ResourceDelta): Promise<Set<string>> {
    const touched = new Set<string>();
    const key = (r: { type: string; id: string }): { t: string; i: string } => ({ t: r.type, i: r.id });
    await this.connection.transaction(async (tx) => {
      const drop = [...delta.deletes.map(key), ...delta.upserts.map(key)];
      if (drop.length > 0) {
        const dropped = await tx.query<{ patient_id: string }>(
          `DELETE FROM candidate_resource c USING jsonb_to_recordset($2::jsonb) AS r(t text, i text)
           WHERE c.study_id = $1 AND c.resource_type = r.t AND c.resource_id = r.i
           RETURNING c.patient_id`,
          [studyId, JSON.stringify(drop)],
        );
        for (const row of dropped.rows) touched.add(row.patient_id);
      }
      if (delta.upserts.length > 0) {
        const rows = delta.upserts.map((u) => ({ t: u.type, i: u.id, p: u.patientId, l: u.line }));
        await tx.query(INSERT_RESOURCES, [studyId, runId, JSON.stringify(rows)]);
        for (const u of delta.upserts) touched.add(u.patientId);
      }
      if (delta.shared.length > 0) {
        const updated = await tx.query<{ patient_id: string }>(
          `UPDATE candidate_resource c SET resource = r.l, run_id = $2
           FROM jsonb_to_recordset($3::jsonb) AS r(t text, i text, l text)
           WHERE c.study_id = $1 AND c.resource_type = r.t AND c.resource_id = r.i
           RETURNING c.patient_id`,
          [studyId, runId, JSON.stringify(delta.shared.map((s) => ({ t: s.type, i: s.id, l: s.line })))],
        );
        for (const row of updated.rows) touched.add(row.patient_id);
      }
    });
    return touched;
  }

  async pruneResources(studyId: string, runId: string): Promise<number> {
    const result = await this.connection.query<{ n: number }>(
      `WITH gone AS (DELETE FROM candidate_resource WHERE study_id = $1 AND run_id IS DISTINCT FROM $2 RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [studyId, runId],
    );
    return result.rows[0]?.n ?? 0;
  }
}

const INSERT_RUN_PATIENTS_ONCE = `${INSERT_RUN_PATIENTS}
ON CONFLICT (run_id, patient_ref) DO NOTHING
RETURNING patient_ref`;

const INSERT_RESOURCES = `
INSERT INTO candidate_resource (study_id, resource_type, resource_id, patient_id, resource, run_id)
SELECT $1, r.t, r.i, r.p, r.l, $2
FROM jsonb_to_recordset($3::jsonb) AS r(t text, i text, p text, l text)
ON CONFLICT (study_id, resource_type, resource_id, patient_id) DO UPDATE SET
  resource = EXCLUDED.resource, run_id = EXCLUDED.run_id`;

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
