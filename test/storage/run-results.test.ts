// A batch of a run's results through the RunStore, on PGlite and, when there is one, on
// PostgreSQL: several studies' runs in one transaction (the finder's flush over several
// studies), all or nothing, as one study's recordResults is.

import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/storage/migrate.js';
import { SqlRunStore, type RunPatientResult, type RunStore } from '../../src/storage/run-store.js';
import type { SqlConnection } from '../../src/storage/sql-connection.js';
import { findTestPostgres, testPgConnection, testPgliteConnection } from '../helpers/test-store.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';
import { subject } from './store-contract.js';

const postgres = await findTestPostgres();
const A = 'belimumab-iim';
const B = 'glp1-ckd';

/** A candidate's result in the study, with the ResearchSubject the finder stores for it. */
function result(studyId: string, patient: string): RunPatientResult {
  const { resource, ...rest } = subject(`${studyId}.${patient}`, { studyId, patientRef: `Patient/${patient}`, status: 'candidate' });
  return { patientRef: `Patient/${patient}`, status: 'candidate', failing: [], results: { entry: 'met' }, subject: { ...rest, resource } };
}

function contract(open: () => Promise<SqlConnection>): void {
  async function migrated(): Promise<RunStore> {
    const connection = await open();
    await runMigrations(connection);
    return new SqlRunStore(connection);
  }
  const newRun = (runs: RunStore, studyId: string) => runs.createRun({ studyId, asOf: '2026-11-24', source: 'test', criteriaVersion: 'sha256-abc' });

  it('records several runs’ results in one transaction, each run its own rows and subjects', async () => {
    const runs = await migrated();
    const [a, b] = [await newRun(runs, A), await newRun(runs, B)];
    await runs.recordRunsResults([
      { runId: a.id, results: [result(A, 'p1'), result(A, 'p2')] },
      { runId: b.id, results: [result(B, 'p1')] },
      { runId: b.id, results: [] },
    ]);
    expect(await runs.donePatients(a.id)).toEqual(new Set(['Patient/p1', 'Patient/p2']));
    expect(await runs.donePatients(b.id)).toEqual(new Set(['Patient/p1']));
    expect(await runs.storedPatientRefs(A)).toEqual(new Set(['Patient/p1', 'Patient/p2']));
    expect(await runs.storedPatientRefs(B)).toEqual(new Set(['Patient/p1']));
    expect((await runs.runPatients(b.id)).map((r) => [r.patientRef, r.subjectId, r.status])).toEqual([['Patient/p1', `${B}.p1`, 'candidate']]);
  });

  it('leaves nothing of the batch when one run’s part fails', async () => {
    const runs = await migrated();
    const a = await newRun(runs, A);
    await runs.recordRunsResults([{ runId: a.id, results: [result(A, 'p1')] }]);
    // The second part names no run: its rows break the foreign key after the first part is written.
    await expect(
      runs.recordRunsResults([
        { runId: a.id, results: [result(A, 'p2')] },
        { runId: 'no-such-run', results: [result(B, 'p2')] },
      ]),
    ).rejects.toThrow();
    expect(await runs.donePatients(a.id)).toEqual(new Set(['Patient/p1']));
    expect(await runs.storedPatientRefs(A)).toEqual(new Set(['Patient/p1']));
    expect(await runs.storedPatientRefs(B)).toEqual(new Set());
    // The run still takes the patients whose batch failed (a --resume records them again).
    await runs.recordRunsResults([{ runId: a.id, results: [result(A, 'p2')] }]);
    expect(await runs.donePatients(a.id)).toEqual(new Set(['Patient/p1', 'Patient/p2']));
  });
}

describe('several runs’ results on PGlite', () => {
  contract(testPgliteConnection);
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('several runs’ results on PostgreSQL', () => {
  contract(() => testPgConnection(postgres!.databaseUrl));
});
