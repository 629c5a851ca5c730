// A study's entry criterion (study.yaml `entry:`): what the nightly finder's prefilter reads to
// skip everyone else, for a kit rule (its condition blocks' value sets) and for a TypeScript
// criterion (what its study code declares), and the load errors of a bad one, at its line.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toRunResult } from '../../src/batch/run-result.js';
import type { ScreenOutcome } from '../../src/batch/screen-job.js';
import { ENTRY_VALUE_SETS } from '../../src/criteria/belimumab-iim/facts.js';
import { DIAGNOSIS_CONCEPTS } from '../../src/criteria/belimumab-iim/diagnosis-onset.js';
import { entryValueSets } from '../../src/criteria/kit/entry-value-sets.js';
import { loadEntryPrefilter } from '../../src/mapping/entry-prefilter.js';
import { readStudyIdentity } from '../../src/screening/study-identity.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { loadFailure } from '../helpers/load-failure.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/kit-studies');
const MAPPINGS = join(import.meta.dirname, '../../fhir-mappings');
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function editedStudy(change: (text: string) => string): { root: string; text: string } {
  const root = mkdtempSync(join(tmpdir(), 'entry-'));
  temps.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  const path = join(root, 'kit-demo', 'study.yaml');
  const before = readFileSync(path, 'utf8');
  const text = change(before);
  expect(text, 'the test edit must change the file').not.toBe(before);
  writeFileSync(path, text);
  return { root, text };
}

const failure = loadFailure;

const condition = (system: string, code: string) => ({ resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p' }, code: { coding: [{ system, code }] } });
const ICD10 = 'http://hl7.org/fhir/sid/icd-10-cm';

describe('the entry criterion', () => {
  it("of a kit study is its rule's condition value sets, and the prefilter matches those Conditions only", async () => {
    const identity = (await readStudyIdentity(FIXTURE, 'kit-demo'))!;
    expect(identity.entry).toEqual({ id: 'inc-type2-diabetes', valueSets: ['dx-t2dm'] });
    expect((await loadStudies(FIXTURE)).get('kit-demo')!.entry).toEqual(identity.entry);
    const prefilter = loadEntryPrefilter(join(FIXTURE, 'kit-demo'), identity.entry.valueSets);
    expect(prefilter.matches(condition(ICD10, 'E11.9'))).toBe(true);
    expect(prefilter.matches(condition(ICD10, 'E10.9'))).toBe(false);
    expect(prefilter.matches({ ...condition(ICD10, 'E11.9'), verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'refuted' }] } })).toBe(false);
  });

  it("of belimumab-iim is inc-diagnosis (I2) with the value sets its TypeScript reads", async () => {
    expect((await readStudyIdentity(MAPPINGS, 'belimumab-iim'))!.entry).toEqual({ id: 'inc-diagnosis', valueSets: [...DIAGNOSIS_CONCEPTS] });
    expect(ENTRY_VALUE_SETS.get('inc-diagnosis')).toEqual([...DIAGNOSIS_CONCEPTS]);
  });

  it('qualifies only rules that need a Condition', () => {
    const cond = (vs: string) => ({ condition: { valueSets: [vs], when: 'any-time' } });
    const lab = { 'latest-value': { tests: ['hba1c'], within: { months: 6 }, unit: '%', atLeast: 7 } };
    expect(entryValueSets(cond('a'))).toEqual(['a']);
    expect(entryValueSets({ all: [cond('a'), lab] })).toEqual(['a']);
    expect(entryValueSets({ any: [cond('a'), cond('b')] })).toEqual(['a', 'b']);
    expect(entryValueSets({ any: [cond('a'), lab] })).toBeUndefined();
    expect(entryValueSets({ not: cond('a') })).toBeUndefined();
    expect(entryValueSets(lab)).toBeUndefined();
  });

  it('stops start-up at the line of entry: when it is not a listed inclusion or needs no Condition', async () => {
    const cases: [string, RegExp][] = [
      ['inc-typo', /the entry criterion 'inc-typo' is not in the criteria list/],
      ['inc-hba1c', /the entry criterion 'inc-hba1c' must need a Condition in a value set/],
    ];
    for (const [entry, problem] of cases) {
      const { root, text } = editedStudy((t) => t.replace('entry: inc-type2-diabetes', `entry: ${entry}`));
      const e = await failure(root);
      expect(e.file).toBe('kit-demo/study.yaml');
      expect(e.path).toBe('/entry');
      expect(e.line).toBe(text.slice(0, text.indexOf('entry: ')).split('\n').length);
      expect(e.problem).toMatch(problem);
    }
    const { root } = editedStudy((t) => t.replace('\nentry: inc-type2-diabetes\n', '\n'));
    expect((await failure(root)).problem).toMatch(/entry/);
  });

  it('keeps a patient on the worklist unless the entry criterion rules them out', () => {
    const outcome = (results: Record<string, 'met' | 'not-met' | 'unknown'>) =>
      ({ status: 'ineligible', patientRef: 'Patient/p', failing: [], results, resource: { id: 'rs-p' } }) as unknown as ScreenOutcome;
    const study = { id: 'kit-demo', criteriaVersion: 'v', entry: { id: 'inc-type2-diabetes', valueSets: ['dx-t2dm'] } };
    const none = new Set<string>();
    const skip = () => {};
    expect(toRunResult(outcome({ 'inc-type2-diabetes': 'not-met', 'inc-diagnosis': 'met' }), study, '2026-10-26', none, skip).subject).toBeUndefined();
    expect(toRunResult(outcome({ 'inc-type2-diabetes': 'met', 'inc-diagnosis': 'not-met' }), study, '2026-10-26', none, skip).subject?.id).toBe('rs-p');
  });
});
