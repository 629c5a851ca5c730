import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Date and criteria logic must not depend on the process time zone: the
// domain tests run again under a zone west of UTC and one at UTC+14.
const TZ_SENSITIVE = ['test/fhir/**/*.test.ts', 'test/mapping/**/*.test.ts', 'test/criteria/**/*.test.ts'];

// With TEST_DATABASE_URL (as in CI) the tests keep their data in PostgreSQL; the tests that talk
// to the service through a store (HTTP, CDS Hooks, worklist, fuzz, the examples and the Synthea
// export) run once more on embedded PGlite, the store a default install uses, with fewer fuzz
// bodies. Without TEST_DATABASE_URL every test already runs on PGlite (or a testcontainers
// PostgreSQL).
const STORE_SENSITIVE = [
  'test/http/**/*.test.ts',
  'test/cds-hooks/**/*.test.ts',
  'test/fuzz/**/*.test.ts',
  'test/ui/worklist-api.test.ts',
  'test/examples.test.ts',
  'test/batch/synthea-export.test.ts',
];
const onPostgres = (process.env['TEST_DATABASE_URL'] ?? '') !== '';

export default defineConfig({
  test: {
    // Generous: a test's first request may start an embedded PGlite, which takes tens of seconds
    // on a loaded 2-core machine. These bound a hung test; speed is measured in bench/, never here.
    testTimeout: 90_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: a single test file at a time on 2
    // cores, though many files mostly wait (on PostgreSQL, a child process, the browser). Test
    // files are independent (each store its own schema or in-memory PGlite, each server its own port).
    maxWorkers: Math.max(2, availableParallelism()),
    projects: [
      { extends: true, test: { name: 'utc', include: ['test/**/*.test.ts'], env: { TZ: 'UTC' } } },
      { extends: true, test: { name: 'tz-new-york', include: TZ_SENSITIVE, env: { TZ: 'America/New_York' } } },
      { extends: true, test: { name: 'tz-kiritimati', include: TZ_SENSITIVE, env: { TZ: 'Pacific/Kiritimati' } } },
      ...(onPostgres
        ? [{ extends: true as const, test: { name: 'pglite', include: STORE_SENSITIVE, env: { TZ: 'UTC', TEST_STORE: 'pglite', FUZZ_RUNS: '60' } } }]
        : []),
    ],
  },
});
