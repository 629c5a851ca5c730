import { SqlAuditStore, type AuditStore } from '../audit/audit-store.js';
import { SqlCdsFeedbackStore, type CdsFeedbackStore } from './cds-feedback-store.js';
import { SqlDecisionStore, type DecisionStore } from './decision-store.js';
import { runMigrations } from './migrate.js';
import type { SqlConnection, SqlExecutor } from './sql-connection.js';
import { SqlRunHistory, type RunHistory } from './run-history.js';
import type { NewSubject, NewSubjectJson, PatientResults, SeveralStudiesQuery, Store, StoredSubject, SubjectQuery } from './store.js';
import { storedSubject, upsertSubjectRows, withStoredMeta } from './subject-upsert.js';
import { CHANGED_SINCE_LAST_RUN, SEVERAL_STUDIES_PATIENTS, heldOnlyByCondition } from './worklist-filters.js';
import { instantText } from './sql-instant.js';

interface SubjectRow {
  id: string;
  study_id: string;
  patient_ref: string;
  status: string;
  as_of: string;
  criteria_version: string;
  resource: string;
  version_id: number;
  last_updated: string;
}

// Dates and instants leave the database as text in one fixed format: pg and PGlite would otherwise
// turn them into JS Dates, in the process's time zone for `date`.
const SUBJECT_COLUMNS = `
  id, study_id, patient_ref, status,
  to_char(as_of, 'YYYY-MM-DD') AS as_of,
  criteria_version, resource, version_id,
  ${instantText('last_updated')} AS last_updated`;

/** The Store on any SqlConnection; the schema comes from migrations/. */
export class SqlStore implements Store {
  readonly cdsFeedback: CdsFeedbackStore;
  readonly audit: AuditStore;
  readonly decisions: DecisionStore;
  readonly runHistory: RunHistory;

  constructor(private readonly connection: SqlConnection) {
    this.cdsFeedback = new SqlCdsFeedbackStore(connection);
    this.audit = new SqlAuditStore(connection);
    this.decisions = new SqlDecisionStore(connection);
    this.runHistory = new SqlRunHistory(connection);
  }

  get kind(): Store['kind'] {
    return this.connection.kind;
  }

  async migrate(): Promise<void> {
    await runMigrations(this.connection);
  }

  async upsertSubject(subject: NewSubject): Promise<StoredSubject> {
    // One statement: atomic on its own, no transaction round trips.
    return (await upsertDistinct(this.connection, [subject]))[0]!;
  }

  async upsertSubjects(subjects: NewSubject[]): Promise<StoredSubject[]> {
    const stored: StoredSubject[] = [];
    await this.#upsert(subjects, async (executor, distinct) => {
      stored.push(...(await upsertDistinct(executor, distinct)));
    });
    return stored;
  }

  async writeSubjects(subjects: readonly (NewSubject | NewSubjectJson)[]): Promise<void> {
    await this.#upsert(subjects, async (executor, distinct) => {
      await upsertSubjectRows(executor, distinct);
    });
  }

  /** Runs `write` on runs of distinct ids, in order: one statement cannot update a row twice. */
  async #upsert<S extends { id: string }>(subjects: readonly S[], write: (executor: SqlExecutor, distinct: readonly S[]) => Promise<void>): Promise<void> {
    if (subjects.length === 0) return;
    // Distinct ids are one statement, atomic on its own: no transaction round trips.
    if (new Set(subjects.map((s) => s.id)).size === subjects.length) return write(this.connection, subjects);
    await this.connection.transaction(async (tx) => {
      // A subject listed twice is written twice, in order, as separate upserts would.
      for (let start = 0; start < subjects.length; ) {
        const seen = new Set<string>();
        let end = start;
        while (end < subjects.length && !seen.has(subjects[end]!.id)) seen.add(subjects[end++]!.id);
        await write(tx, subjects.slice(start, end));
        start = end;
      }
    });
  }

  async getSubject(id: string): Promise<StoredSubject | undefined> {
    const result = await this.connection.query<SubjectRow>(
      `SELECT ${SUBJECT_COLUMNS} FROM research_subject WHERE id = $1`,
      [id],
    );
    const row = result.rows[0];
    return row === undefined ? undefined : subjectOf(row);
  }

  async searchSubjects(query: SubjectQuery): Promise<{ total: number; items: StoredSubject[] }> {
    assertPaging(query);
    const { where, params } = whereOf(query);
    // Two statements on one snapshot would need REPEATABLE READ; a total that is off by a
    // concurrent upsert is acceptable for a FHIR searchset, a page query per request is not worth it.
    const counted = await this.connection.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM research_subject ${where}`,
      params,
    );
    const total = counted.rows[0]?.total ?? 0;
    if (query.count === 0 || query.offset >= total) return { total, items: [] };
    const page = await this.connection.query<SubjectRow>(
      `SELECT ${SUBJECT_COLUMNS} FROM research_subject ${where}
       ORDER BY research_subject.last_updated DESC, id
       LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, query.count, query.offset],
    );
    return { total, items: page.rows.map(subjectOf) };
  }

  async searchSeveralStudies(query: SeveralStudiesQuery): Promise<{ total: number; items: PatientResults[] }> {
    assertPaging(query);
    const params = [[...query.studies], query.study ?? null];
    const counted = await this.connection.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM (${SEVERAL_STUDIES_PATIENTS}) several`,
      params,
    );
    const total = counted.rows[0]?.total ?? 0;
    if (query.count === 0 || query.offset >= total) return { total, items: [] };
    // One statement for the page and its rows: the patients are picked and their results read on one snapshot.
    const page = await this.connection.query<SubjectRow>(
      `WITH page AS (
         SELECT patient_ref, row_number() OVER (ORDER BY newest DESC, patient_ref) AS patient_rank
         FROM (${SEVERAL_STUDIES_PATIENTS}) several
         ORDER BY newest DESC, patient_ref
         LIMIT $3 OFFSET $4)
       SELECT ${SUBJECT_COLUMNS}, patient_rank FROM (
         SELECT s.*, page.patient_rank FROM research_subject s JOIN page ON page.patient_ref = s.patient_ref
         WHERE s.study_id = ANY($1::text[])) research_subject
       ORDER BY patient_rank, study_id`,
      [...params, query.count, query.offset],
    );
    const items: PatientResults[] = [];
    for (const row of page.rows) {
      const last = items[items.length - 1];
      const subject = subjectOf(row);
      if (last?.patientRef === subject.patientRef) last.subjects.push(subject);
      else items.push({ patientRef: subject.patientRef, subjects: [subject] });
    }
    return { total, items };
  }

  async ping(): Promise<void> {
    await this.connection.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

async function upsertDistinct(executor: SqlExecutor, subjects: readonly NewSubject[]): Promise<StoredSubject[]> {
  const rows = new Map((await upsertSubjectRows(executor, subjects)).map((row) => [row.id, row]));
  const kept = await keptSubjects(executor, subjects.filter((s) => !rows.has(s.id)).map((s) => s.id));
  return subjects.map((subject) => {
    const row = rows.get(subject.id);
    if (row !== undefined) return storedSubject(subject, row);
    const stored = kept.get(subject.id);
    if (stored === undefined) throw new Error('The upsert returned no row.');
    return stored;
  });
}

/** The stored subjects an upsert left in place (each holds a result for a later asOf). */
async function keptSubjects(executor: SqlExecutor, ids: readonly string[]): Promise<Map<string, StoredSubject>> {
  if (ids.length === 0) return new Map();
  const result = await executor.query<SubjectRow>(`SELECT ${SUBJECT_COLUMNS} FROM research_subject WHERE id = ANY($1::text[])`, [ids]);
  return new Map(result.rows.map((row) => [row.id, subjectOf(row)]));
}

function whereOf(query: SubjectQuery): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (placeholder: string) => string, value: unknown): void => {
    params.push(value);
    conditions.push(condition(`$${params.length}`));
  };
  if (query.study !== undefined) add((p) => `study_id = ${p}`, query.study);
  if (query.status !== undefined && query.status.length > 0) add((p) => `status = ANY(${p}::text[])`, query.status);
  if (query.patient !== undefined) add((p) => `patient_ref = ${p}`, query.patient);
  if (query.studies !== undefined) add((p) => `study_id = ANY(${p}::text[])`, [...query.studies]);
  if (query.lastUpdatedFrom !== undefined) add((p) => `last_updated >= ${p}::timestamptz`, query.lastUpdatedFrom);
  if (query.heldOnlyBy !== undefined) add(heldOnlyByCondition, query.heldOnlyBy);
  if (query.changedSinceLastRun === true) conditions.push(CHANGED_SINCE_LAST_RUN);
  return { where: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

function assertPaging(query: { count: number; offset: number }): void {
  if (!Number.isSafeInteger(query.count) || query.count < 0) throw new RangeError('count must be an integer ≥ 0.');
  if (!Number.isSafeInteger(query.offset) || query.offset < 0) throw new RangeError('offset must be an integer ≥ 0.');
}

function subjectOf(row: SubjectRow): StoredSubject {
  return {
    id: row.id,
    studyId: row.study_id,
    patientRef: row.patient_ref,
    status: row.status,
    asOf: row.as_of,
    criteriaVersion: row.criteria_version,
    resource: withStoredMeta(JSON.parse(row.resource) as Record<string, unknown>, row.version_id, row.last_updated),
    lastUpdated: row.last_updated,
  };
}
