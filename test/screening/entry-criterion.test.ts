// A study's entry criterion (study.yaml `entry:`), which the nightly finder's prefilter reads to
// skip everyone else: a mistake in it stops start-up with the file, line and what is wrong
// (an unknown or exclusion criterion, a rule that is not a condition, a value set the rule
// counts but the entry leaves out, an undefined value set); the finder refuses a study that
// declares none rather than guessing whom it may skip.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FindError, findPatients } from '../../src/batch/find-patients.js';
import { MappingError } from '../../src/mapping/mapping-error.js';
import { readStudyIdentity } from '../../src/screening/study-identity.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { CANONICAL_BASE, MAPPINGS_DIR, openTestRunStorage, quietLogger } from '../batch/helpers.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/kit-studies');
const ENTRY = 'entry:\n  criterion: inc-type2-diabetes\n  valueSets:\n    - dx-t2dm\n';
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture root with kit-demo's study.yaml edited. */
function editedRoot(change: (text: string) => string): { root: string; text: string } {
  const root = mkdtempSync(join(tmpdir(), 'entry-criterion-'));
  temps.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  const path = join(root, 'kit-demo', 'study.yaml');
  const before = readFileSync(path, 'utf8');
  const text = change(before);
  expect(text, 'the test edit must change the file').not.toBe(before);
  writeFileSync(path, text);
  return { root, text };
}

const withEntry = (entry: string) => (t: string) => t.replace(ENTRY, entry);

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  expect(at, needle).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}

function failure(root: string): MappingError {
  try {
    loadStudies(root);
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    return err as MappingError;
  }
  throw new Error('loadStudies did not fail');
}

describe('study.yaml entry:', () => {
  it('is read with the study: kit-demo enters by I2, belimumab-iim by inc-diagnosis (I2) and its three diagnoses', () => {
    expect(readStudyIdentity(FIXTURE, 'kit-demo')?.entry).toEqual({ criterion: 'inc-type2-diabetes', valueSets: ['dx-t2dm'] });
    expect(readStudyIdentity(MAPPINGS_DIR, 'belimumab-iim')?.entry).toEqual({ criterion: 'inc-diagnosis', valueSets: ['dx-dm', 'dx-pm', 'dx-iim-unspecified'] });
  });

  it('naming a criterion the study does not have', () => {
    const { root, text } = editedRoot(withEntry('entry:\n  criterion: inc-type2-diabetis\n  valueSets:\n    - dx-t2dm\n'));
    const e = failure(root);
    expect(e.file).toBe('kit-demo/study.yaml');
    expect(e.path).toBe('/entry/criterion');
    expect(e.line).toBe(lineOf(text, 'criterion: inc-type2-diabetis'));
    expect(e.problem).toBe("the entry criterion 'inc-type2-diabetis' is not one of the study's criteria");
  });

  it('an exclusion criterion cannot be the entry (the schema asks for an inc- id, the loader for an inclusion)', () => {
    const { root } = editedRoot(withEntry('entry:\n  criterion: exc-type1-diabetes\n  valueSets:\n    - dx-t1dm\n'));
    expect(failure(root).path).toBe('/entry/criterion');
    const renamed = editedRoot((t) => withEntry('entry:\n  criterion: inc-type1-diabetes\n  valueSets:\n    - dx-t1dm\n')(t).replace('- id: exc-type1-diabetes', '- id: inc-type1-diabetes'));
    expect(failure(renamed.root).problem).toBe("the entry criterion 'inc-type1-diabetes' must be an inclusion criterion");
  });

  it('a kit rule that is not a condition block: the prefilter reads Conditions only', () => {
    const { root, text } = editedRoot(withEntry('entry:\n  criterion: inc-age\n  valueSets:\n    - dx-t2dm\n'));
    const e = failure(root);
    expect(e.path).toBe('/criteria/0/rule');
    expect(e.line).toBe(lineOf(text, 'age: {atLeast: 18}'));
    expect(e.problem).toBe("the entry criterion 'inc-age' must be a condition rule: the prefilter reads Conditions only");
  });

  it('a value set the rule counts but the entry leaves out, which would skip its patients', () => {
    const { root, text } = editedRoot(withEntry('entry:\n  criterion: inc-type2-diabetes\n  valueSets:\n    - dx-t1dm\n'));
    const e = failure(root);
    expect(e.path).toBe('/criteria/1/rule/condition/valueSets/0');
    expect(e.line).toBe(lineOf(text, 'condition: {valueSets: [dx-t2dm]'));
    expect(e.problem).toBe("value set 'dx-t2dm' of the entry criterion is missing from entry.valueSets: the prefilter would skip its patients");
  });

  it('a value set value-sets.yaml does not define', () => {
    const { root, text } = editedRoot(withEntry('entry:\n  criterion: inc-type2-diabetes\n  valueSets:\n    - dx-t2dm\n    - dx-t2dx\n'));
    const e = failure(root);
    expect(e.path).toBe('/entry/valueSets/1');
    expect(e.line).toBe(lineOf(text, '- dx-t2dx'));
    expect(e.problem).toBe("value set 'dx-t2dx' is not defined in value-sets.yaml");
  });

  it('without one the study still loads and screens, but the finder refuses it by name', async () => {
    const { root } = editedRoot(withEntry(''));
    expect(loadStudies(root).get('kit-demo')?.criteria).toHaveLength(5);
    const storage = await openTestRunStorage();
    try {
      const run = findPatients(
        { studyId: 'kit-demo', asOf: '2026-06-01', input: root, resume: false, workers: 1, mappingsDir: root, canonicalBase: CANONICAL_BASE, logger: quietLogger },
        storage,
      );
      await expect(run).rejects.toThrow(FindError);
      await expect(run).rejects.toThrow('study kit-demo declares no entry criterion (study.yaml entry: criterion and valueSets), which the finder reads to know whom it may skip');
    } finally {
      await storage.close();
    }
  });
});
