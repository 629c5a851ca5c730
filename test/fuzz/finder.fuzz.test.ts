// The nightly finder reading a Bulk export under generated data: the seed patients, each
// mutated (Object.prototype names in string elements among the rest), written as NDJSON files
// by resourceType, with junk lines mixed in. The run completes; a patient is screened or
// reported for a data problem, never lost to an error while screening (a `screening-error`
// made the patient `not-screened` silently).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPatients } from '../../src/batch/find-patients.js';
import { CANONICAL_BASE, MAPPINGS_DIR, openTestRunStorage, quietLogger, tempDir, type TestStorage } from '../batch/helpers.js';
import { applyMutations, FC_PARAMS, FUZZ_RUNS, mutations, nasty, SEEDS, toText, type Json } from './fuzz-helpers.js';

const RUNS = Math.max(1, Math.ceil(FUZZ_RUNS / 30));
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const STATUSES = new Set(['candidate', 'potential-candidate', 'ineligible', 'not-screened']);

/** Distinct seeds (their patients differ), each mutated, plus a few junk lines. */
const exportData = fc.tuple(
  fc.uniqueArray(fc.integer({ min: 0, max: SEEDS.length - 1 }), { minLength: 1, maxLength: SEEDS.length }).chain((seeds) => fc.tuple(...seeds.map((i) => mutations.map((m) => applyMutations(SEEDS[i]!, m))))),
  fc.array(nasty.map(toText), { maxLength: 2 }),
);

/**
 * Each resource into `<resourceType>.ndjson`; what has no usable type into Observation's file.
 * A Patient file always, empty when mutations removed every Patient: the finder refuses an
 * export with no Patient file (FindError), which is a usage error, not the data under test.
 */
function writeExport(dir: string, bundles: Json[], junk: string[]): void {
  const files = new Map<string, string[]>([
    ['Observation', [...junk]],
    ['Patient', []],
  ]);
  for (const bundle of bundles) {
    for (const entry of Array.isArray(bundle['entry']) ? bundle['entry'] : []) {
      const resource: unknown = entry?.resource;
      if (resource === undefined) continue;
      const type = (resource as Json | null)?.['resourceType'];
      const file = typeof type === 'string' && TYPE.test(type) ? type : 'Observation';
      const lines = files.get(file) ?? [];
      lines.push(toText(resource));
      files.set(file, lines);
    }
  }
  for (const [type, lines] of files) writeFileSync(join(dir, `${type}.ndjson`), lines.map((l) => `${l}\n`).join(''));
}

describe(`nightly finder fuzz (${RUNS} exports)`, () => {
  const tmp = tempDir('finder-fuzz');
  let storage: TestStorage;
  let n = 0;

  beforeAll(async () => {
    storage = await openTestRunStorage();
  });
  afterAll(async () => {
    await storage?.close();
    tmp.remove();
  });

  it('completes every run and screens every patient it gathers, or reports a data problem', async () => {
    let screened = 0;
    await fc.assert(
      fc.asyncProperty(exportData, async ([bundles, junk]) => {
        const dir = join(tmp.dir, `run-${n++}`);
        const input = join(dir, 'export');
        mkdirSync(input, { recursive: true });
        writeExport(input, bundles, junk);
        const result = await findPatients(
          { studyId: 'belimumab-iim', asOf: '2026-10-26', input, outDir: join(dir, 'out'), resume: false, workers: 1, mappingsDir: MAPPINGS_DIR, canonicalBase: CANONICAL_BASE, logger: quietLogger },
          storage,
        );
        expect(result.run.status).toBe('complete');
        expect(Object.keys(result.counts.problems).filter((reason) => reason.startsWith('screening-error'))).toEqual([]);
        const rows = await storage.runs.runPatients(result.run.id);
        for (const row of rows) expect(STATUSES.has(row.status), row.status).toBe(true);
        screened += rows.filter((r) => r.status !== 'not-screened').length;
      }),
      { ...FC_PARAMS, numRuns: RUNS },
    );
    // The generator reaches the screening, not just the readers.
    expect(screened).toBeGreaterThan(0);
  }, 600_000);
});
