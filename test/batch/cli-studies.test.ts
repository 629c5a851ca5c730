// `fhir-prescreen find` with several studies, through the command line itself: --study a,b and
// --all-studies, the usage errors (exit 2) and an unknown study (exit 1, before any database
// opens), and a whole run for every study folder: one summary line and one output folder each.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/batch/cli.js';
import { parseFindArgs } from '../../src/batch/cli-args.js';
import { createTestSchema, findTestPostgres } from '../helpers/test-store.js';
import { writeCohort } from '../../tools/cohort/write-cohort.js';
import { MAPPINGS_DIR, tempDir } from './helpers.js';

const TODAY = '2026-10-26';

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream;
  const code = await runCli(['find', ...args], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    env: { MAPPINGS_DIR, LOG_LEVEL: 'silent', ...env },
    now: () => new Date(`${TODAY}T12:00:00Z`),
  });
  return { code, stdout, stderr };
}

describe('find --study a,b and --all-studies', () => {
  const tmp = tempDir('find-cli-studies');
  afterAll(() => tmp.remove());

  it('reads a list of studies, or every study', () => {
    expect(parseFindArgs(['--study', 'belimumab-iim,glp1-ckd', '--input', 'x'], TODAY)).toMatchObject({ studyIds: ['belimumab-iim', 'glp1-ckd'], allStudies: false });
    expect(parseFindArgs(['--study', 'glp1-ckd', '--input', 'x'], TODAY)).toMatchObject({ studyIds: ['glp1-ckd'], allStudies: false });
    expect(parseFindArgs(['--all-studies', '--input', 'x'], TODAY)).toMatchObject({ studyIds: [], allStudies: true });
  });

  it.each([
    [['--study', 'glp1-ckd', '--all-studies', '--input', 'x'], 'give --study or --all-studies, not both'],
    [['--study', 'glp1-ckd,belimumab-iim,glp1-ckd', '--input', 'x'], '--study names "glp1-ckd" twice'],
    [['--study', 'glp1-ckd,', '--input', 'x'], '--study takes study ids separated by commas, none empty'],
    [['--input', 'x'], '--study (or --all-studies) is required'],
    [['--study', 'glp1-ckd,belimumab-iim', '--workers-from-queue'], '--workers-from-queue takes one study'],
    [['--all-studies', '--workers-from-queue', '--input', 'x'], '--workers-from-queue takes one study'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const result = await cli(args, { DATA_DIR: join(tmp.dir, 'never') });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`fhir-prescreen find: ${message}`);
    expect(result.stdout).toBe('');
  });

  it('stops on an unknown study in the list with one clear line (exit 1), before opening any database', async () => {
    const dataDir = join(tmp.dir, 'untouched');
    for (const study of ['belimumab-iim,no-such-study', '../fhir-mappings/glp1-ckd']) {
      const result = await cli(['--study', study, '--input', tmp.dir], { DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^fhir-prescreen find: unknown study \S+ \(no such folder under .*\)\n$/);
      expect(result.stdout).toBe('');
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('--all-studies runs every study folder: one summary line and one output folder per study', async () => {
    const input = join(tmp.dir, 'export');
    writeCohort({ patients: 120, seed: 'cli-studies', myositisRate: 0.05, t2dRate: 0.2 }, input);
    const postgres = await findTestPostgres();
    const schema = postgres ? await createTestSchema(postgres.databaseUrl) : undefined;
    const env: Record<string, string> = {};
    if (postgres && schema) {
      const url = new URL(postgres.databaseUrl);
      url.searchParams.set('options', `-c search_path=${schema.schema}`);
      env['DATABASE_URL'] = url.toString();
    } else {
      env['DATA_DIR'] = join(tmp.dir, 'data');
    }
    try {
      const out = join(tmp.dir, 'out');
      const result = await cli(['--all-studies', '--input', input, '--out', out, '--workers', '1'], env);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const studies = readdirSync(MAPPINGS_DIR).filter((n) => !n.startsWith('_') && existsSync(join(MAPPINGS_DIR, n, 'study.yaml'))).sort();
      expect(studies).toEqual(expect.arrayContaining(['belimumab-iim', 'glp1-ckd']));
      const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as { studyId: string; status: string; out: string; population: number });
      expect(lines.map((l) => l.studyId)).toEqual(studies);
      for (const line of lines) {
        expect(line).toMatchObject({ status: 'complete', population: 120, out: join(out, line.studyId) });
        expect(readdirSync(line.out).sort()).toEqual(['funnel.json', 'funnel.svg', 'problems.ndjson', 'run.json', 'worklist.csv', 'worklist.ndjson']);
      }
    } finally {
      await schema?.drop();
    }
  }, 600_000);
});
