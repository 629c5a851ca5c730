// Shared set-up for the finder's tests: a generated cohort on disk, and storage on the test
// PostgreSQL (a schema of its own) when there is one, else in-memory PGlite.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { writeCohort, type CohortSummary } from '../../tools/cohort/write-cohort.js';
import { openRunStorage, type RunStorage } from '../../src/storage/open-run-storage.js';
import { createTestSchema, findTestPostgres } from '../helpers/test-store.js';

export const MAPPINGS_DIR = fileURLToPath(new URL('../../fhir-mappings', import.meta.url));
export const CANONICAL_BASE = 'https://fhir-prescreen.org';
export const quietLogger = pino({ level: 'silent' });

export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function writeTestCohort(dir: string, patients: number, seed: string, myositisRate: number, bundles = false): CohortSummary {
  return writeCohort({ patients, seed, myositisRate, bundles }, dir);
}

export interface TestStorage extends RunStorage {
  /** For a child process: `--database` URL (PostgreSQL, schema in the URL) or undefined (PGlite). */
  databaseUrl: string | undefined;
}

export async function openTestRunStorage(): Promise<TestStorage> {
  const found = await findTestPostgres();
  if (!found) {
    const storage = await openRunStorage({ inMemory: true });
    return { ...storage, databaseUrl: undefined };
  }
  const { schema, drop } = await createTestSchema(found.databaseUrl);
  const storage = await openRunStorage({ databaseUrl: found.databaseUrl, schema });
  const url = new URL(found.databaseUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    ...storage,
    databaseUrl: url.toString(),
    close: async () => {
      await storage.close();
      await drop();
    },
  };
}
