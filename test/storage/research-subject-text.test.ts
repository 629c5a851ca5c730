// Migration 050: the stored ResearchSubject as JSON text, its meta put on when read. Rows that
// migration 001 stored as jsonb move over and read back as they were; held-by and a coordinator
// decision's criterion result still look inside the resource; the text comes back exactly as
// written (key order, escapes), but for what no PostgreSQL text holds (NUL, a lone surrogate:
// U+FFFD, as storable-params.ts does for every parameter). On PGlite and, when there is one, on
// PostgreSQL.

import { describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/storage/migrate.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import { resourceJson } from '../../src/storage/resource-json.js';
import type { SqlConnection } from '../../src/storage/sql-connection.js';
import { SqlStore } from '../../src/storage/sql-store.js';
import { storableText } from '../../src/storage/storable-params.js';
import { findTestPostgres, testPgConnection, testPgliteConnection } from '../helpers/test-store.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';

const postgres = await findTestPostgres();
const STUDY = 'belimumab-iim';

const criterion = (id: string, type: string, result: string) => ({
  url: 'criterion',
  extension: [
    { url: 'id', valueCode: id },
    { url: 'type', valueCode: type },
    { url: 'result', valueCode: result },
  ],
});

function subjectResource(id: string, criteria: ReturnType<typeof criterion>[], meta?: Record<string, unknown>): Record<string, unknown> {
  return {
    resourceType: 'ResearchSubject',
    id,
    ...(meta ? { meta } : {}),
    extension: [{ url: 'https://fhir-prescreen.org/StructureDefinition/eligibility-evaluation', extension: criteria }],
    status: 'candidate',
    study: { reference: `ResearchStudy/${STUDY}` },
    individual: { reference: `Patient/${id}` },
  };
}

function contract(open: () => Promise<SqlConnection>): void {
  it('moves the jsonb rows of migration 001 to text: each reads back as stored, meta from its row', async () => {
    const connection = await open();
    const before = MIGRATIONS.filter((m) => m.id < '050');
    await runMigrations(connection, before);
    const held = subjectResource('a', [criterion('inc-age', 'inclusion', 'met'), criterion('exc-hiv', 'exclusion', 'met')], {
      versionId: '3',
      lastUpdated: '2026-01-02T03:04:05.678Z',
      source: '#nightly',
    });
    await connection.query(
      `INSERT INTO research_subject (id, study_id, patient_ref, status, as_of, criteria_version, resource, version_id, last_updated)
       VALUES ('a', $1, 'Patient/a', 'ineligible', '2026-01-02', 'v1', $2::jsonb, 3, '2026-01-02T03:04:05.678Z')`,
      [STUDY, JSON.stringify(held)],
    );
    expect(await runMigrations(connection)).toEqual(MIGRATIONS.filter((m) => m.id >= '050').map((m) => m.id));
    const type = await connection.query<{ type: string }>(
      "SELECT data_type AS type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'research_subject' AND column_name = 'resource'",
    );
    expect(type.rows.map((r) => r.type)).toEqual(['text']);

    const store = new SqlStore(connection);
    const read = await store.getSubject('a');
    expect(read?.resource).toEqual(held);
    expect(read?.lastUpdated).toBe('2026-01-02T03:04:05.678Z');
    // held-by still reads the criteria inside the moved resource.
    expect((await store.searchSubjects({ heldOnlyBy: 'exc-hiv', count: 10, offset: 0 })).items.map((s) => s.id)).toEqual(['a']);
    expect((await store.searchSubjects({ heldOnlyBy: 'inc-age', count: 10, offset: 0 })).total).toBe(0);
    // So does a coordinator's decision, which records the criterion's result at the time.
    const decision = await store.decisions.record({ subjectId: 'a', decision: 'screen-failed', criterionId: 'exc-hiv' } as never);
    expect(decision?.criterionResult).toBe('met');
    expect(decision?.subjectVersion).toBe(3);

    // The next upsert replaces the resource and counts on from the moved row's version.
    const next = subjectResource('a', [criterion('inc-age', 'inclusion', 'met'), criterion('exc-hiv', 'exclusion', 'not-met')]);
    const [stored] = await store.upsertSubjects([
      { id: 'a', studyId: STUDY, patientRef: 'Patient/a', status: 'candidate', asOf: '2026-02-01', criteriaVersion: 'v1', resource: next },
    ]);
    expect(stored?.resource['meta']).toEqual({ versionId: '4', lastUpdated: stored?.lastUpdated });
    expect((await store.getSubject('a'))?.resource).toEqual(stored?.resource);
    expect((await store.searchSubjects({ heldOnlyBy: 'exc-hiv', count: 10, offset: 0 })).total).toBe(0);
  });

  it('keeps the resource text as written: key order, escapes, and the meta a caller set', async () => {
    const connection = await open();
    await runMigrations(connection);
    const store = new SqlStore(connection);
    const resource = {
      resourceType: 'ResearchSubject',
      id: 'b',
      meta: { source: '#cds', versionId: 'ignored' },
      zebra: 'first key stays first',
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">NUL \u0000 lone \ud800 quote " back \\ line \u2028 😀</div>' },
      status: 'candidate',
    };
    const [stored] = await store.upsertSubjects([
      { id: 'b', studyId: STUDY, patientRef: 'Patient/b', status: 'candidate', asOf: '2026-02-01', criteriaVersion: 'v1', resource },
    ]);
    const read = await store.getSubject('b');
    const div = '<div xmlns="http://www.w3.org/1999/xhtml">NUL \ufffd lone \ufffd quote " back \\ line \u2028 😀</div>';
    const expected = { ...resource, text: { status: 'generated', div }, meta: { source: '#cds', versionId: '1', lastUpdated: stored?.lastUpdated } };
    expect(read?.resource).toEqual(expected);
    expect(Object.keys(read!.resource)).toEqual(Object.keys(resource));
    const raw = await connection.query<{ resource: string }>("SELECT resource FROM research_subject WHERE id = 'b'");
    expect(raw.rows[0]?.resource).toBe(storableText(JSON.stringify(resource)));

    // The same resource given as JSON text (a CDS screening thread's) is the same stored text.
    await store.writeSubjects([
      { id: 'c', studyId: STUDY, patientRef: 'Patient/b', status: 'candidate', asOf: '2026-02-01', criteriaVersion: 'v1', resourceJson: resourceJson(resource) },
    ]);
    const rawText = await connection.query<{ resource: string }>("SELECT resource FROM research_subject WHERE id = 'c'");
    expect(rawText.rows[0]?.resource).toBe(raw.rows[0]?.resource);
  });
}

describe('ResearchSubject as text on PGlite', () => {
  contract(testPgliteConnection);
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('ResearchSubject as text on PostgreSQL', () => {
  contract(() => testPgConnection(postgres!.databaseUrl));
});
