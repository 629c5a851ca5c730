// The resource store (one record per candidate patient, migration 040) through the RunStore, on
// PGlite and, when there is one, on PostgreSQL: a full run's replace (several studies' in one
// transaction, all or nothing) and prune, a `_since` delta merge (replace, move owner, delete,
// shared Medication) and the move of rows stored by migration 011 into records.

import { describe, expect, it } from 'vitest';
import { storedGroup } from '../../src/batch/stored-lines.js';
import type { ResourceDelta } from '../../src/storage/candidate-record.js';
import { mergeIntoRecords } from '../../src/storage/candidate-record-store.js';
import { runMigrations } from '../../src/storage/migrate.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { SqlRunStore, type RunStore } from '../../src/storage/run-store.js';
import type { SqlConnection } from '../../src/storage/sql-connection.js';
import { findTestPostgres, testPgConnection, testPgliteConnection } from '../helpers/test-store.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';

const postgres = await findTestPostgres();
const STUDY = 'belimumab-iim';
const OTHER = 'kit-demo';

const line = (resourceType: string, id: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ resourceType, id, ...extra });
const ownedBy = (patient: string, resourceType: string, id: string, version = 1): string =>
  line(resourceType, id, { subject: { reference: `Patient/${patient}` }, meta: { versionId: String(version) } });

/** A RunStore on the connection, every migration applied. */
async function migrated(connection: SqlConnection): Promise<RunStore> {
  await runMigrations(connection);
  return new SqlRunStore(connection);
}

/** `open` gives a bare connection (no migration applied), closed when the test finishes. */
function contract(open: () => Promise<SqlConnection>): void {
  it('replaces each candidate’s record, reads it by type then id, keeps one copy of a shared Medication', async () => {
    const runs = await migrated(await open());
    const med = line('Medication', 'm1', { code: { text: 'rituximab' } });
    await runs.replacePatientResources(STUDY, 'run-1', [
      storedGroup('a', [ownedBy('a', 'Observation', 'o2'), line('Patient', 'a'), med, ownedBy('a', 'Observation', 'o1'), med]),
      storedGroup('b', [line('Patient', 'b'), med]),
      storedGroup('nothing', []),
    ]);
    const read = await runs.patientResources(STUDY, ['a', 'b', 'nothing', 'unknown']);
    expect(read.get('a')).toEqual([med, ownedBy('a', 'Observation', 'o1'), ownedBy('a', 'Observation', 'o2'), line('Patient', 'a')]);
    expect(read.get('b')).toEqual([med, line('Patient', 'b')]);
    expect(read.get('nothing')).toEqual([]);
    expect(read.get('unknown')).toEqual([]);
    expect(await runs.resourcePatients(STUDY)).toEqual(new Set(['a', 'b']));
    expect(await runs.resourcePatients('another-study')).toEqual(new Set());

    // The next run's lines replace the record whole; a candidate left without lines has none.
    await runs.replacePatientResources(STUDY, 'run-2', [storedGroup('a', [line('Patient', 'a', { gender: 'female' })]), storedGroup('b', [])]);
    const again = await runs.patientResources(STUDY, ['a', 'b']);
    expect(again.get('a')).toEqual([line('Patient', 'a', { gender: 'female' })]);
    expect(again.get('b')).toEqual([]);
    expect(await runs.resourcePatients(STUDY)).toEqual(new Set(['a']));
  });

  it('stores a record’s text exactly: escapes the service’s own writes rewrite, non-ASCII, a long line', async () => {
    const runs = await migrated(await open());
    // storableParams turns a \u0000 or lone-surrogate escape into \ufffd for jsonb; a record
    // is NDJSON text, read back by the next delta merge, and must keep them as they came.
    const escaped = '{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/a"},"note":[{"text":"nul \\u0000 lone \\ud800 pair \\ud83d\\ude00 \\\\u0000"}]}';
    const accented = line('Patient', 'a', { name: [{ family: 'Müller-Łukasiewicz 山田 😀' }] });
    const long = line('Observation', 'o2', { subject: { reference: 'Patient/a' }, valueString: 'x'.repeat(300_000) });
    await runs.replacePatientResources(STUDY, 'run-1', [storedGroup('a', [escaped, accented, long])]);
    expect((await runs.patientResources(STUDY, ['a'])).get('a')).toEqual([escaped, long, accented]);
  });

  it('writes several studies’ records in one transaction: a failure in one study’s part leaves nothing of the batch', async () => {
    const runs = await migrated(await open());
    const both = storedGroup('a', [line('Patient', 'a'), ownedBy('a', 'Observation', 'o1')]);
    await runs.replaceStudiesResources([
      { studyId: STUDY, runId: 'run-1', groups: [both, storedGroup('b', [line('Patient', 'b')])] },
      { studyId: OTHER, runId: 'run-2', groups: [both] },
      { studyId: 'no-candidates', runId: 'run-3', groups: [] },
    ]);
    expect((await runs.patientResources(STUDY, ['a'])).get('a')).toEqual([ownedBy('a', 'Observation', 'o1'), line('Patient', 'a')]);
    expect((await runs.patientResources(OTHER, ['a'])).get('a')).toEqual([ownedBy('a', 'Observation', 'o1'), line('Patient', 'a')]);
    expect(await runs.resourcePatients(STUDY)).toEqual(new Set(['a', 'b']));
    expect(await runs.resourcePatients(OTHER)).toEqual(new Set(['a']));

    // The second study's part breaks a constraint after the first study's part is written.
    const changed = storedGroup('a', [line('Patient', 'a', { gender: 'female' })]);
    await expect(
      runs.replaceStudiesResources([
        { studyId: STUDY, runId: 'run-4', groups: [changed, storedGroup('c', [line('Patient', 'c')])] },
        { studyId: null as unknown as string, runId: 'run-4', groups: [changed] },
      ]),
    ).rejects.toThrow();
    expect((await runs.patientResources(STUDY, ['a'])).get('a')).toEqual([ownedBy('a', 'Observation', 'o1'), line('Patient', 'a')]);
    expect(await runs.resourcePatients(STUDY)).toEqual(new Set(['a', 'b']));
    expect(await runs.pruneResources(STUDY, 'run-1')).toBe(0);
  });

  it('prunes, after a complete full run, the records that run did not write, in its study only', async () => {
    const runs = await migrated(await open());
    await runs.replacePatientResources(STUDY, 'run-1', [storedGroup('a', [line('Patient', 'a')]), storedGroup('b', [line('Patient', 'b')])]);
    await runs.replacePatientResources('other', 'run-x', [storedGroup('z', [line('Patient', 'z')])]);
    await runs.replacePatientResources(STUDY, 'run-2', [storedGroup('b', [line('Patient', 'b')])]);
    expect(await runs.pruneResources(STUDY, 'run-2')).toBe(1);
    expect(await runs.resourcePatients(STUDY)).toEqual(new Set(['b']));
    expect(await runs.resourcePatients('other')).toEqual(new Set(['z']));
    expect(await runs.pruneResources(STUDY, 'run-2')).toBe(0);
  });

  it('does not write again a record whose text is unchanged (only marks it as the run’s); writes one that changed or has no digest', async () => {
    const connection = await open();
    const runs = await migrated(connection);
    const a = [line('Patient', 'a'), ownedBy('a', 'Observation', 'o1')];
    const b = [line('Patient', 'b')];
    await runs.replacePatientResources(STUDY, 'run-1', [storedGroup('a', a), storedGroup('b', b), storedGroup('c', [line('Patient', 'c')])]);
    // A stand-in text under the same digests: a rewrite of the record would replace it.
    await connection.query(`UPDATE candidate_record SET record = 'untouched' WHERE study_id = $1 AND patient_id IN ('a', 'b')`, [STUDY]);
    // c's digest is gone, as for a row stored before digests were kept.
    await connection.query(`UPDATE candidate_record SET record = 'untouched', digest = NULL WHERE study_id = $1 AND patient_id = 'c'`, [STUDY]);
    await runs.replacePatientResources(STUDY, 'run-2', [
      // The same lines in another order: the same record.
      storedGroup('a', [...a].reverse()),
      storedGroup('b', [line('Patient', 'b', { gender: 'male' })]),
      storedGroup('c', [line('Patient', 'c')]),
    ]);
    const rows = await connection.query<{ patient_id: string; record: string; run_id: string }>(
      'SELECT patient_id, record, run_id FROM candidate_record WHERE study_id = $1 ORDER BY patient_id',
      [STUDY],
    );
    expect(rows.rows).toEqual([
      { patient_id: 'a', record: 'untouched', run_id: 'run-2' },
      { patient_id: 'b', record: line('Patient', 'b', { gender: 'male' }), run_id: 'run-2' },
      { patient_id: 'c', record: line('Patient', 'c'), run_id: 'run-2' },
    ]);
    // Marked as run-2's, the unchanged record survives run-2's prune.
    expect(await runs.pruneResources(STUDY, 'run-2')).toBe(0);
  });

  // The store merges a part of the records at a time; one record a part must merge the same.
  const merges: [string, (connection: SqlConnection, runs: RunStore) => (studyId: string, runId: string, delta: ResourceDelta) => Promise<Set<string>>][] = [
    ['', (_, runs) => (studyId, runId, delta) => runs.mergeDelta(studyId, runId, delta)],
    [', one record at a time', (connection) => (studyId, runId, delta) => mergeIntoRecords(connection, studyId, runId, delta, 1)],
  ];

  it.each(merges)('merges a delta%s: replace by Type/id, a resource moving owner, deletes, a shared Medication updated or deleted everywhere', async (_, mergeOf) => {
    const connection = await open();
    const runs = await migrated(connection);
    const merge = mergeOf(connection, runs);
    const m1 = line('Medication', 'm1', { code: { text: 'v1' } });
    const m2 = line('Medication', 'm2');
    await runs.replacePatientResources(STUDY, 'run-1', [
      storedGroup('a', [line('Patient', 'a'), ownedBy('a', 'Observation', 'o1'), ownedBy('a', 'Observation', 'moves'), m1, m2]),
      storedGroup('b', [line('Patient', 'b'), ownedBy('b', 'Condition', 'c1'), m1]),
      storedGroup('c', [line('Patient', 'c'), m2]),
      storedGroup('quiet', [line('Patient', 'quiet')]),
    ]);
    const m1v2 = line('Medication', 'm1', { code: { text: 'v2' } });
    const touched = await merge(STUDY, 'delta:1', {
      upserts: [
        { type: 'Observation', id: 'o1', patientId: 'a', line: ownedBy('a', 'Observation', 'o1', 2) },
        // Re-owned: it leaves a's record for b's.
        { type: 'Observation', id: 'moves', patientId: 'b', line: ownedBy('b', 'Observation', 'moves', 2) },
      ],
      shared: [{ type: 'Medication', id: 'm1', line: m1v2 }],
      deletes: [
        { type: 'Condition', id: 'c1' },
        { type: 'Medication', id: 'm2' },
        { type: 'Patient', id: 'c' },
        { type: 'Observation', id: 'never-stored' },
      ],
    });
    expect(touched).toEqual(new Set(['a', 'b', 'c']));
    const merged = await runs.patientResources(STUDY, ['a', 'b', 'c', 'quiet']);
    expect(merged.get('a')).toEqual([m1v2, ownedBy('a', 'Observation', 'o1', 2), line('Patient', 'a')]);
    expect(merged.get('b')).toEqual([m1v2, ownedBy('b', 'Observation', 'moves', 2), line('Patient', 'b')]);
    // c held only a Patient and the deleted Medication: nothing is left, so no record.
    expect(merged.get('c')).toEqual([]);
    expect(merged.get('quiet')).toEqual([line('Patient', 'quiet')]);
    expect(await runs.resourcePatients(STUDY)).toEqual(new Set(['a', 'b', 'quiet']));
    // The merge wrote a and b: a full run that keeps only `quiet` prunes them.
    expect(await runs.pruneResources(STUDY, 'run-1')).toBe(2);
  });

  it.each(merges)('gives a resource upserted twice in one delta to the later owner only, and creates an owner’s record%s', async (_, mergeOf) => {
    const connection = await open();
    const runs = await migrated(connection);
    const merge = mergeOf(connection, runs);
    await runs.replacePatientResources(STUDY, 'run-1', [
      storedGroup('a', [line('Patient', 'a'), ownedBy('a', 'Encounter', 'e1')]),
      storedGroup('b', [line('Patient', 'b')]),
    ]);
    const touched = await merge(STUDY, 'delta:1', {
      upserts: [
        { type: 'Encounter', id: 'e1', patientId: 'a', line: ownedBy('a', 'Encounter', 'e1', 2) },
        { type: 'Encounter', id: 'e2', patientId: 'b', line: ownedBy('b', 'Encounter', 'e2') },
        { type: 'Encounter', id: 'e1', patientId: 'new', line: ownedBy('new', 'Encounter', 'e1', 3) },
      ],
      shared: [],
      deletes: [],
    });
    expect(touched).toEqual(new Set(['a', 'b', 'new']));
    const merged = await runs.patientResources(STUDY, ['a', 'b', 'new']);
    expect(merged.get('a')).toEqual([line('Patient', 'a')]);
    expect(merged.get('b')).toEqual([ownedBy('b', 'Encounter', 'e2'), line('Patient', 'b')]);
    expect(merged.get('new')).toEqual([ownedBy('new', 'Encounter', 'e1', 3)]);
    expect(await merge(STUDY, 'delta:2', { upserts: [], shared: [], deletes: [] })).toEqual(new Set());
  });

  it('moves the rows migration 011 stored into one record per patient, then drops candidate_resource', async () => {
    const connection = await open();
    const before = MIGRATIONS.filter((m) => m.id < '040');
    expect(await runMigrations(connection, before)).toEqual(before.map((m) => m.id));
    const rows = [
      ['Patient', 'a', 'a', line('Patient', 'a'), 'run-1'],
      ['Observation', 'o2', 'a', ownedBy('a', 'Observation', 'o2'), 'delta:1'],
      ['Observation', 'o1', 'a', ownedBy('a', 'Observation', 'o1'), 'run-1'],
      ['Medication', 'm1', 'a', line('Medication', 'm1'), 'run-1'],
      ['Medication', 'm1', 'b', line('Medication', 'm1'), 'run-1'],
    ];
    for (const [type, id, patient, resource, runId] of rows) {
      await connection.query(
        'INSERT INTO candidate_resource (study_id, resource_type, resource_id, patient_id, resource, run_id) VALUES ($1, $2, $3, $4, $5, $6)',
        [STUDY, type, id, patient, resource, runId],
      );
    }
    expect(await runMigrations(connection)).toEqual(MIGRATIONS.filter((m) => m.id >= '040').map((m) => m.id));
    const runs = new SqlRunStore(connection);
    const read = await runs.patientResources(STUDY, ['a', 'b']);
    expect(read.get('a')).toEqual([line('Medication', 'm1'), ownedBy('a', 'Observation', 'o1'), ownedBy('a', 'Observation', 'o2'), line('Patient', 'a')]);
    expect(read.get('b')).toEqual([line('Medication', 'm1')]);
    // Most of a's rows were written by run-1: its record counts as written by run-1.
    expect(await runs.pruneResources(STUDY, 'run-1')).toBe(0);
    const left = await connection.query<{ found: string | null }>("SELECT to_regclass('candidate_resource')::text AS found");
    expect(left.rows[0]?.found).toBeNull();
    // The moved record merges like any other.
    expect(await runs.mergeDelta(STUDY, 'delta:2', { upserts: [], shared: [], deletes: [{ type: 'Medication', id: 'm1' }] })).toEqual(new Set(['a', 'b']));
    expect(await runs.resourcePatients(STUDY)).toEqual(new Set(['a']));
  });
}

describe('the resource store on PGlite', () => {
  contract(testPgliteConnection);
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('the resource store on PostgreSQL', () => {
  contract(() => testPgConnection(postgres!.databaseUrl));
});
