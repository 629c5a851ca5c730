// --workers-from-queue on the local PostgreSQL: a coordinator (findPatients with a queue) and a
// helper machine (its own connection, pg-boss instance and worker pool) share one run's
// patient chunks through pg-boss. Every candidate must be recorded exactly once, by one of the
// two, with the same answers as a run without the queue; a chunk delivered again records nothing.
// Needs TEST_DATABASE_URL (pg-boss runs only on PostgreSQL), a fresh schema per test.

import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { findPatients } from '../../src/batch/find-patients.js';
import { ChunkScreener, helpWithQueue, ScreenQueue } from '../../src/batch/screen-queue.js';
import { ScreenPool } from '../../src/batch/screen-pool.js';
import { readStudyIdentity } from '../../src/screening/study-identity.js';
import { openRunStorage } from '../../src/storage/open-run-storage.js';
import { skipBecause } from '../helpers/skip.js';
import { createTestSchema } from '../helpers/test-store.js';
import { CANONICAL_BASE, MAPPINGS_DIR, quietLogger, tempDir, writeTestCohort } from './helpers.js';

const DATABASE_URL = process.env['TEST_DATABASE_URL'];
const ASOF = '2026-10-26';
const STUDY = 'belimumab-iim';

skipBecause(!DATABASE_URL, 'the pg-boss test needs TEST_DATABASE_URL (e.g. postgres://root@127.0.0.1:5432/test)');
if (!DATABASE_URL) {
  describe('--workers-from-queue', () => {
    it.skip('skipped: set TEST_DATABASE_URL (e.g. postgres://root@127.0.0.1:5432/test) to run the pg-boss test', () => undefined);
  });
} else {
  describe('--workers-from-queue with two consumers on PostgreSQL', () => {
    const tmp = tempDir('find-queue');
    afterAll(() => tmp.remove());

    it('screens every candidate exactly once, shared between both, same answers as one process', async () => {
      const input = join(tmp.dir, 'export');
      writeTestCohort(input, 240, 'queue-test', 0.25);
      const { schema, drop } = await createTestSchema(DATABASE_URL);
      const bossSchema = `${schema}_boss`;
      const coordinatorStorage = await openRunStorage({ databaseUrl: DATABASE_URL, schema });
      const helperStorage = await openRunStorage({ databaseUrl: DATABASE_URL, schema });
      const coordinatorQueue = await ScreenQueue.open({ databaseUrl: DATABASE_URL, schema: bossSchema });
      const helperQueue = await ScreenQueue.open({ databaseUrl: DATABASE_URL, schema: bossSchema });
      const setup = { mappingsDir: MAPPINGS_DIR, studies: [{ id: STUDY, criteriaVersion: (await readStudyIdentity(MAPPINGS_DIR, STUDY))!.criteriaVersion }], asOf: ASOF, canonicalBase: CANONICAL_BASE };
      const helperPool = await ScreenPool.start(1, setup);
      const helper = new ChunkScreener({
        storage: helperStorage,
        queue: helperQueue,
        mappingsDir: MAPPINGS_DIR,
        canonicalBase: CANONICAL_BASE,
        workers: 1,
        logger: quietLogger,
        pool: { studyId: STUDY, asOf: ASOF, pool: helperPool },
        jobBatch: 2,
      });
      const reference = await openRunStorage({ inMemory: true });
      try {
        const helping = helpWithQueue(helper, helperStorage, { studyId: STUDY, idleExitMs: 60_000, pollMs: 50 });
        const common = { studyId: STUDY, asOf: ASOF, input, resume: false, workers: 1, mappingsDir: MAPPINGS_DIR, canonicalBase: CANONICAL_BASE, logger: quietLogger };
        const result = await findPatients(
          { ...common, outDir: join(tmp.dir, 'out'), queue: { queue: coordinatorQueue, chunkSize: 4, pollMs: 50 } },
          coordinatorStorage,
        );
        await helping;

        expect(result.run.status).toBe('complete');
        const rows = await coordinatorStorage.runs.runPatients(result.run.id);
        expect(rows.length).toBe(result.counts.diagnosed);
        expect(new Set(rows.map((r) => r.patientRef)).size).toBe(rows.length);
        // Both consumers took chunks, and together exactly the published ones.
        const chunks = result.counts.queueChunks!;
        expect(chunks.screenedHere).toBeGreaterThan(0);
        expect(helper.chunks).toBeGreaterThan(0);
        expect(chunks.screenedHere + helper.chunks).toBe(chunks.published);
        expect(chunks.published).toBe(Math.ceil(rows.length / 4));
        // Each ResearchSubject written once.
        const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
        await client.connect();
        try {
          const subjects = await client.query<{ n: number; v: number }>('SELECT count(*)::int AS n, max(version_id)::int AS v FROM research_subject');
          expect(subjects.rows[0]).toEqual({ n: result.counts.stored, v: 1 });
        } finally {
          await client.end();
        }

        // A redelivered chunk (its consumer died after committing) records nothing again.
        const again = rows.slice(0, 3).map((r) => ({ patientRef: r.patientRef, status: r.status, failing: r.failing, results: r.results }));
        expect(await coordinatorStorage.runs.recordResultsOnce(result.run.id, again)).toBe(0);

        // Same answers as one process without the queue.
        const single = await findPatients({ ...common, outDir: join(tmp.dir, 'out-single') }, reference);
        const singleRows = await reference.runs.runPatients(single.run.id);
        const byRef = (list: typeof rows): Record<string, [string, string[]]> =>
          Object.fromEntries(list.map((r) => [r.patientRef, [r.status, r.failing]]));
        expect(byRef(rows)).toEqual(byRef(singleRows));
      } finally {
        await helper.close();
        await helperPool.close();
        await coordinatorQueue.close();
        await helperQueue.close();
        await coordinatorStorage.close();
        await helperStorage.close();
        await reference.close();
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${bossSchema} CASCADE`).finally(() => client.end());
        await drop();
      }
    }, 60_000);
  });
}
