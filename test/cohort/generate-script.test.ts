// `npm run generate` (scripts/generate.ts) builds its population for the day the finder and
// $screen screen on by default, today (UTC), unless --as-of says otherwise (issue 14 §5).

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCohort } from '../../src/cohort/write-cohort.js';
import { addDays } from '../../src/fhir/dates.js';
import { todayUtc } from '../../src/http/today-utc.js';
import { tempDir } from '../batch/helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const tmp = tempDir('prescreen-generate');
afterAll(() => tmp.remove());

function generate(out: string, extra: string[] = []): { asOf: string; patients: number } {
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/generate.ts'), '--patients', '120', '--seed', '7', '--myositis-rate', '0.2', '--out', out, '--quiet', ...extra], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { asOf: string; patients: number };
}

describe('npm run generate', () => {
  it('builds the population for today (UTC) by default: the same bytes as the library given today', () => {
    const before = todayUtc();
    const summary = generate(join(tmp.dir, 'default'));
    // The date may turn while the command runs.
    expect([before, addDays(before, 1)]).toContain(summary.asOf);
    writeCohort({ patients: 120, seed: '7', myositisRate: 0.2, asOf: summary.asOf }, join(tmp.dir, 'library'));
    for (const file of ['Patient.ndjson', 'MedicationRequest.ndjson', 'scenarios.ndjson']) {
      expect(readFileSync(join(tmp.dir, 'default', file), 'utf8'), file).toBe(readFileSync(join(tmp.dir, 'library', file), 'utf8'));
    }
  });

  it('builds it for another day with --as-of', () => {
    const summary = generate(join(tmp.dir, 'fixed'), ['--as-of', '2026-10-26']);
    expect(summary.asOf).toBe('2026-10-26');
    writeCohort({ patients: 120, seed: '7', myositisRate: 0.2, asOf: '2026-10-26' }, join(tmp.dir, 'library-fixed'));
    expect(readFileSync(join(tmp.dir, 'fixed', 'MedicationRequest.ndjson'), 'utf8')).toBe(readFileSync(join(tmp.dir, 'library-fixed', 'MedicationRequest.ndjson'), 'utf8'));
  });
});
