// The nightly runs of a study, newest first, for the worklist page's run history: read-only
// over migration 002's screening_run (run-store.ts writes it).

import type { SqlConnection } from './sql-connection.js';
import { instantText } from './sql-instant.js';

export interface RunSummary {
  id: string;
  studyId: string;
  asOf: string;
  status: string;
  /** ISO instants (UTC). */
  started: string;
  finished?: string;
  counts: Record<string, unknown>;
}

export interface RunHistory {
  runs(studyId: string, limit: number): Promise<RunSummary[]>;
}


export class SqlRunHistory implements RunHistory {
  constructor(private readonly connection: SqlConnection) {}

  async runs(studyId: string, limit: number): Promise<RunSummary[]> {
    const result = await this.connection.query<{
      id: string;
      study_id: string;
      as_of: string;
      status: string;
      started: string;
      finished: string | null;
      counts: Record<string, unknown> | null;
    }>(
      `SELECT id, study_id, to_char(as_of, 'YYYY-MM-DD') AS as_of, status,
              ${instantText('started')} AS started,
              ${instantText('finished')} AS finished, counts
       FROM screening_run WHERE study_id = $1 ORDER BY started DESC, id LIMIT $2`,
      [studyId, limit],
    );
    return result.rows.map((r) => ({
      id: r.id,
      studyId: r.study_id,
      asOf: r.as_of,
      status: r.status,
      started: r.started,
      ...(r.finished === null ? {} : { finished: r.finished }),
      counts: r.counts ?? {},
    }));
  }
}
