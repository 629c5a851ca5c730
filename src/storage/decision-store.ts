// Coordinators' decisions on worklist patients (migration 030), on the store's SqlConnection.
// A decision is recorded against the ResearchSubject as it is stored at that moment: its
// version, and for a screen-failure the service's own result for the criterion that failed, so
// the per-criterion summary can tell a rule that misled (it let the patient through) from one
// that merely agreed.

import { randomUUID } from 'node:crypto';
import type { SqlConnection } from './sql-connection.js';
import { instantText } from './sql-instant.js';

export const DECISION_KINDS = ['contacted', 'screen-failed', 'enrolled', 'not-interested'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface NewDecision {
  subjectId: string;
  decision: DecisionKind;
  /** Required for screen-failed, absent otherwise. */
  criterionId?: string;
  note?: string;
  decidedBy?: string;
}

export interface StoredDecision {
  id: string;
  subjectId: string;
  studyId: string;
  decision: DecisionKind;
  criterionId?: string;
  /** met / not-met / unknown: what the stored ResearchSubject said of criterionId. */
  criterionResult?: string;
  subjectVersion: number;
  note?: string;
  decidedBy?: string;
  /** ISO instant (UTC, milliseconds). */
  decidedAt: string;
}

export interface ScreenFailCount {
  criterion: string;
  /** The service's result for the criterion when the coordinator recorded the failure. */
  criterionResult: string | undefined;
  count: number;
}

export interface DecisionStore {
  /** undefined when no such ResearchSubject is stored. */
  record(decision: NewDecision): Promise<StoredDecision | undefined>;
  /** The latest decision of each of these subjects (those that have one). */
  latest(subjectIds: readonly string[]): Promise<StoredDecision[]>;
  /** Newest first. */
  history(subjectId: string): Promise<StoredDecision[]>;
  /** Per failed criterion and service result: subjects whose latest decision is a screen-failure. */
  screenFailures(studyId: string): Promise<ScreenFailCount[]>;
}

interface DecisionRow {
  id: string;
  subject_id: string;
  study_id: string;
  decision: DecisionKind;
  criterion_id: string | null;
  criterion_result: string | null;
  subject_version: number;
  note: string | null;
  decided_by: string | null;
  decided_at: string;
}

const COLUMNS = `
  id::text AS id, subject_id, study_id, decision, criterion_id, criterion_result, subject_version, note, decided_by,
  ${instantText('decided_at')} AS decided_at`;

// The criterion's result inside the stored resource (render/research-subject.ts's shape).
const CRITERION_RESULT = `jsonb_path_query_first(
  s.resource::jsonb,
  '$.extension[*].extension[*] ? (@.url == "criterion") ? (exists(@.extension[*] ? (@.url == "id" && @.valueCode == $c))).extension[*] ? (@.url == "result").valueCode',
  jsonb_build_object('c', $3::text)) #>> '{}'`;

const INSERT = `
INSERT INTO coordinator_decision AS d
  (id, subject_id, study_id, decision, criterion_id, criterion_result, subject_version, note, decided_by)
SELECT $1::uuid, s.id, s.study_id, $4::text, $3::text, CASE WHEN $3::text IS NULL THEN NULL ELSE ${CRITERION_RESULT} END,
       s.version_id, $5::text, $6::text
FROM research_subject s WHERE s.id = $2
RETURNING ${COLUMNS}`;

const LATEST = `
SELECT DISTINCT ON (subject_id) ${COLUMNS}
FROM coordinator_decision WHERE subject_id = ANY($1::text[])
ORDER BY subject_id, decided_at DESC, id`;

const SCREEN_FAILURES = `
WITH latest AS (
  SELECT DISTINCT ON (subject_id) decision, criterion_id, criterion_result
  FROM coordinator_decision WHERE study_id = $1
  ORDER BY subject_id, decided_at DESC, id
)
SELECT criterion_id AS criterion, criterion_result, count(*)::int AS count
FROM latest WHERE decision = 'screen-failed'
GROUP BY criterion_id, criterion_result
ORDER BY criterion_id, criterion_result`;

export class SqlDecisionStore implements DecisionStore {
  constructor(private readonly connection: SqlConnection) {}

  async record(d: NewDecision): Promise<StoredDecision | undefined> {
    const result = await this.connection.query<DecisionRow>(INSERT, [
      randomUUID(),
      d.subjectId,
      d.criterionId ?? null,
      d.decision,
      d.note ?? null,
      d.decidedBy ?? null,
    ]);
    const row = result.rows[0];
    return row === undefined ? undefined : decisionOf(row);
  }

  async latest(subjectIds: readonly string[]): Promise<StoredDecision[]> {
    if (subjectIds.length === 0) return [];
    const result = await this.connection.query<DecisionRow>(LATEST, [[...subjectIds]]);
    return result.rows.map(decisionOf);
  }

  async history(subjectId: string): Promise<StoredDecision[]> {
    const result = await this.connection.query<DecisionRow>(
      `SELECT ${COLUMNS} FROM coordinator_decision WHERE subject_id = $1 ORDER BY decided_at DESC, id`,
      [subjectId],
    );
    return result.rows.map(decisionOf);
  }

  async screenFailures(studyId: string): Promise<ScreenFailCount[]> {
    const result = await this.connection.query<{ criterion: string; criterion_result: string | null; count: number }>(
      SCREEN_FAILURES,
      [studyId],
    );
    return result.rows.map((r) => ({ criterion: r.criterion, criterionResult: r.criterion_result ?? undefined, count: r.count }));
  }
}

function decisionOf(row: DecisionRow): StoredDecision {
  const decision: StoredDecision = {
    id: row.id,
    subjectId: row.subject_id,
    studyId: row.study_id,
    decision: row.decision,
    subjectVersion: row.subject_version,
    decidedAt: row.decided_at,
  };
  if (row.criterion_id !== null) decision.criterionId = row.criterion_id;
  if (row.criterion_result !== null) decision.criterionResult = row.criterion_result;
  if (row.note !== null) decision.note = row.note;
  if (row.decided_by !== null) decision.decidedBy = row.decided_by;
  return decision;
}
