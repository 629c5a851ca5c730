// A study's TypeScript criteria are found from its folder (screening/typescript-criteria.ts):
// study.yaml `typescriptCriteria: true` makes the loader import src/criteria/<id>/index.ts, and
// the finder's main thread its facts.ts, with no list naming the study. A declared module that
// is missing stops start-up naming the file; a kit-only study imports nothing.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STUDY_CODE } from '../../src/criteria/belimumab-iim/index.js';
import { STUDY_FACTS } from '../../src/criteria/belimumab-iim/facts.js';
import { MappingError } from '../../src/mapping/mapping-error.js';
import { readStudyIdentity } from '../../src/screening/study-identity.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { loadTypescriptCriteria, loadTypescriptFacts, typescriptModulePath } from '../../src/screening/typescript-criteria.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAPPINGS = join(ROOT, 'fhir-mappings');
const KIT_DEMO = join(ROOT, 'test/fixtures/kit-studies/kit-demo');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** fhir-mappings/ with kit-demo beside it, its study.yaml declaring TypeScript criteria that do not exist. */
function declaringMissingCode(): { root: string; line: number } {
  const root = mkdtempSync(join(tmpdir(), 'typescript-criteria-'));
  temps.push(root);
  cpSync(MAPPINGS, root, { recursive: true });
  cpSync(KIT_DEMO, join(root, 'kit-demo'), { recursive: true });
  const path = join(root, 'kit-demo', 'study.yaml');
  const text = readFileSync(path, 'utf8').replace(/^entry: /m, 'typescriptCriteria: true\nentry: ');
  writeFileSync(path, text);
  return { root, line: text.split('\n').indexOf('typescriptCriteria: true') + 1 };
}

async function loadFailure(load: Promise<unknown>): Promise<MappingError> {
  const error: unknown = await load.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MappingError);
  return error as MappingError;
}

describe('TypeScript criteria found from the study folder', () => {
  it('imports the criteria of the study that declares them, and none for a kit-only study', async () => {
    const code = await loadTypescriptCriteria(MAPPINGS);
    expect([...code.keys()]).toEqual(['belimumab-iim']);
    // The module the loader imports is the one the tests import: one set of criteria.
    expect(code.get('belimumab-iim')).toBe(STUDY_CODE);
    const facts = await loadTypescriptFacts(MAPPINGS);
    expect([...facts.keys()]).toEqual(['belimumab-iim']);
    expect(facts.get('belimumab-iim')).toBe(STUDY_FACTS);
    expect(STUDY_CODE.version).toBe(STUDY_FACTS.version);
    expect(STUDY_CODE.entryValueSets).toBe(STUDY_FACTS.entryValueSets);
  });

  it('screens with them: the loaded study holds the TypeScript criteria in study.yaml order', async () => {
    const study = (await loadStudies(MAPPINGS)).get('belimumab-iim')!;
    expect(study.criteria).toEqual(STUDY_CODE.criteria);
  });

  it('builds a module path only from a study id', () => {
    expect(typescriptModulePath('belimumab-iim', 'index')).toBe(join(ROOT, 'src', 'criteria', 'belimumab-iim', 'index.ts'));
    for (const bad of ['../kit', 'a/b', '.hidden', 'Upper', '', 'x.y']) expect(() => typescriptModulePath(bad, 'index')).toThrow(/is not a study id/);
  });

  it('a declared module that is missing stops loading at the line of typescriptCriteria, naming the file', async () => {
    const { root, line } = declaringMissingCode();
    const e = await loadFailure(loadStudies(root));
    expect(e.file).toBe('kit-demo/study.yaml');
    expect(e.path).toBe('/typescriptCriteria');
    expect(e.line).toBe(line);
    expect(e.problem).toBe('study kit-demo declares TypeScript criteria, but src/criteria/kit-demo/index.ts does not exist');
    // The finder's main thread looks for the light module, and says so.
    const light = await loadFailure(readStudyIdentity(root, 'kit-demo'));
    expect(light.problem).toBe('study kit-demo declares TypeScript criteria, but src/criteria/kit-demo/facts.ts does not exist');
  });

  it('a declared module that is missing stops the service at start-up with that line', () => {
    const { root, line } = declaringMissingCode();
    const dataDir = mkdtempSync(join(tmpdir(), 'typescript-criteria-data-'));
    temps.push(dataDir);
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'server.ts')], {
      cwd: ROOT,
      env: { PATH: process.env['PATH'] ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, MAPPINGS_DIR: root },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `cannot load the study mappings from ${root}: kit-demo/study.yaml line ${line} at /typescriptCriteria: study kit-demo declares TypeScript criteria, but src/criteria/kit-demo/index.ts does not exist`,
    );
  });
});
