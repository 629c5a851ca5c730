// Loading a study folder whose criteria are kit rules: a mistake stops start-up with the file
// (under its study folder), the line and what is wrong; the ids a folder must define come from
// its own criteria; TypeScript criteria and rules mix in study.yaml's order; criteriaVersion
// follows the rules.

import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kitDecided } from '../../src/criteria/kit/outcome.js';
import type { StudyCode } from '../../src/criteria/types.js';
import { MappingError } from '../../src/mapping/mapping-error.js';
import { NO_REQUIRED_IDS } from '../../src/mapping/required-ids.js';
import { SharedThresholdsFile } from '../../src/mapping/schema.js';
import { readStudyIdentity } from '../../src/screening/study-identity.js';
import { loadStudies } from '../../src/screening/study-registry.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/kit-studies');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture root (its _site links to fhir-mappings/_site) with study.yaml (or another file, perhaps new) edited. */
function editedRoot(change: (text: string) => string, file = 'study.yaml'): { root: string; text: string } {
  const root = mkdtempSync(join(tmpdir(), 'kit-study-'));
  temps.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  const path = join(root, 'kit-demo', file);
  const before = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const text = change(before);
  expect(text, 'the test edit must change the file').not.toBe(before);
  writeFileSync(path, text);
  return { root, text };
}

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  expect(at, needle).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}

async function failure(root: string, code?: ReadonlyMap<string, StudyCode>): Promise<MappingError> {
  try {
    await loadStudies(root, code);
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    return err as MappingError;
  }
  throw new Error('loadStudies did not fail');
}

/** A TypeScript criterion for the fixture study, as a study's code would register it. */
function typescriptCode(ids: string[], required = NO_REQUIRED_IDS): ReadonlyMap<string, StudyCode> {
  const criteria = ids.map((id) => ({ id, type: 'exclusion' as const, evaluate: () => kitDecided('not-met', `${id} written in TypeScript`) }));
  return new Map([['kit-demo', { criteria, version: 'kit-demo-code/1', required, thresholds: SharedThresholdsFile }]]);
}

describe('kit rule mistakes stop start-up with file, line and what is wrong', () => {
  it('an unknown block', async () => {
    const { root, text } = editedRoot((t) => t.replace('age: {atLeast: 18}', 'agee: {atLeast: 18}'));
    const e = await failure(root);
    expect(e.file).toBe('kit-demo/study.yaml');
    expect(e.line).toBe(lineOf(text, 'agee:'));
    expect(e.path).toBe('/criteria/0/rule/agee');
    expect(e.message).toMatch(new RegExp(`^kit-demo/study\\.yaml line ${e.line} at /criteria/0/rule/agee: criterion 'inc-age': unknown block 'agee' \\(known: all, any, not, age,`));
  });

  it('a parameter of the wrong type, and one the block does not take', async () => {
    const typed = editedRoot((t) => t.replace('age: {atLeast: 18}', 'age: {atLeast: eighteen}'));
    const e = await failure(typed.root);
    expect(e.line).toBe(lineOf(typed.text, 'atLeast: eighteen'));
    expect(e.path).toBe('/criteria/0/rule/age/atLeast');
    expect(e.problem).toMatch(/^criterion 'inc-age': .*number/);

    const extra = editedRoot((t) => t.replace("within: {months: 6}, unit: '%'", "within: {months: 6}, units: '%'"));
    const e2 = await failure(extra.root);
    expect(e2.line).toBe(lineOf(extra.text, 'latest-value:'));
    expect(e2.path).toBe('/criteria/2/rule/latest-value');
    expect(e2.problem).toMatch(/units/);
  });

  it('a rule a schema cannot catch: a band with no limit', async () => {
    const { root, text } = editedRoot((t) => t.replace(", unit: '%', atLeast: 7.0, atMost: 10.5}", '}'));
    const e = await failure(root);
    expect(e.line).toBe(lineOf(text, 'latest-value:'));
    expect(e.problem).toMatch(/needs a limit/);
  });

  it('a value set the rule names that value-sets.yaml does not define', async () => {
    const { root, text } = editedRoot((t) => t.replace('valueSets: [dx-t2dm]', 'valueSets: [dx-t2dn]'));
    const e = await failure(root);
    expect(e.file).toBe('kit-demo/study.yaml');
    expect(e.line).toBe(lineOf(text, 'valueSets: [dx-t2dn]'));
    expect(e.path).toBe('/criteria/1/rule/condition/valueSets/0');
    expect(e.problem).toBe("value set 'dx-t2dn' is not defined in value-sets.yaml");
  });

  it('a lab the rule names that labs.yaml does not define', async () => {
    const { root } = editedRoot((t) => t.replace('tests: [hba1c]', 'tests: [hba1k]'));
    const e = await failure(root);
    expect(e.path).toBe('/criteria/2/rule/latest-value/tests/0');
    expect(e.problem).toBe("test 'hba1k' is not defined in labs.yaml or assessments.yaml");
  });

  it('a criterion with neither a rule nor TypeScript code', async () => {
    const { root, text } = editedRoot((t) => t.replace("    rule:\n      condition: {valueSets: [dx-t1dm], when: active, name: type 1 diabetes}\n", ''));
    const e = await failure(root);
    expect(e.path).toBe('/criteria/4');
    expect(e.line).toBe(lineOf(text, '- id: exc-type1-diabetes'));
    expect(e.problem).toBe("criterion 'exc-type1-diabetes' has no rule: and study kit-demo has no TypeScript criterion of that id");
  });

  it('a TypeScript criterion missing from the order of study.yaml', async () => {
    const e = await failure(FIXTURE, typescriptCode(['exc-written-in-code']));
    expect(e.file).toBe('kit-demo/study.yaml');
    expect(e.path).toBe('/criteria');
    expect(e.line).toBe(lineOf(readFileSync(join(FIXTURE, 'kit-demo/study.yaml'), 'utf8'), '  - id: inc-age'));
    expect(e.problem).toBe("criterion 'exc-written-in-code' of study kit-demo's TypeScript criteria is missing from the order");
  });

  it('a criterion listed twice', async () => {
    const { root } = editedRoot((t) => t.replace('- id: exc-type1-diabetes', '- id: inc-age'));
    expect((await failure(root)).problem).toBe("criterion 'inc-age' is listed twice");
  });

  it('a threshold group no criterion of a kit-only study reads', async () => {
    const { root, text } = editedRoot((t) => `${t}inc-age: {minYears: 18}\n`, 'thresholds.yaml');
    const e = await failure(root);
    expect(e.file).toBe('kit-demo/thresholds.yaml');
    expect(e.line).toBe(lineOf(text, 'inc-age:'));
    expect(e.problem).toMatch(/inc-age/);
  });

  it('a study id that is not its folder name', async () => {
    const { root } = editedRoot((t) => t.replace('id: kit-demo', 'id: kit-demo-two'));
    const e = await failure(root);
    expect(e.path).toBe('/id');
    expect(e.problem).toBe("the study id 'kit-demo-two' must be the name of its folder, 'kit-demo'");
  });
});

describe('what a study folder must define comes from its criteria', () => {
  it("a kit-only study is not asked for belimumab-iim's value sets, labs, agents or thresholds", async () => {
    const study = (await loadStudies(FIXTURE)).get('kit-demo')!;
    expect(study.criteria).toHaveLength(5);
  });

  it('TypeScript criteria demand the ids they declare, naming the file that lacks one', async () => {
    const e = await failure(FIXTURE, typescriptCode([], { ...NO_REQUIRED_IDS, valueSets: ['dx-t2dm', 'zoster'] }));
    expect(e.file).toBe('kit-demo/value-sets.yaml');
    expect(e.problem).toBe("value set 'zoster' is required by the study's criteria code but missing");
  });

  it('TypeScript criteria and rules mix, in the order of study.yaml', async () => {
    const { root } = editedRoot((t) => `${t}  - {id: exc-written-in-code, type: exclusion, seed: E2, title: 'Written in code', missingData: closed}\n`);
    const study = (await loadStudies(root, typescriptCode(['exc-written-in-code']))).get('kit-demo')!;
    expect(study.criteria.map((c) => c.id)).toEqual(['inc-age', 'inc-type2-diabetes', 'inc-hba1c', 'inc-consent', 'exc-type1-diabetes', 'exc-written-in-code']);
    expect(study.criteria[5]!.evaluate(undefined as never).reason).toBe('exc-written-in-code written in TypeScript');
  });
});

describe('criteriaVersion of a kit study', () => {
  it('changes when a rule changes, and the light identity reader agrees with the loader', async () => {
    const before = (await loadStudies(FIXTURE)).get('kit-demo')!.criteriaVersion;
    expect((await readStudyIdentity(FIXTURE, 'kit-demo'))!.criteriaVersion).toBe(before);
    const { root } = editedRoot((t) => t.replace('atLeast: 7.0, atMost: 10.5', 'atLeast: 7.0, atMost: 10.0'));
    const after = (await loadStudies(root)).get('kit-demo')!.criteriaVersion;
    expect(after).not.toBe(before);
    expect((await readStudyIdentity(root, 'kit-demo'))!.criteriaVersion).toBe(after);
  });
});
