// `same-as: { study, criterion }`: a criterion of another study, word for word, resolved when
// the borrowing study loads (screening/same-as.ts). glp1-ckd's E7 and I7 are belimumab-iim's
// TypeScript criteria, reading belimumab-iim's thresholds; a kit rule is compiled again against
// the borrower's folder. What is borrowed goes into criteriaVersion, and every mistake stops
// start-up with the file, the line and what is wrong.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileRule, RuleError } from '../../src/criteria/kit/rule.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { readStudyIdentity } from '../../src/screening/study-identity.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { loadFailure } from '../helpers/load-failure.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** fhir-mappings/ (both studies) and the kit-demo fixture copied to a temp root, then edited. */
function root(edits: [string, (text: string) => string][] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'same-as-'));
  temps.push(dir);
  cpSync('fhir-mappings', dir, { recursive: true });
  for (const [file, change] of edits) {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = change(before);
    expect(after, `the test edit must change ${file}`).not.toBe(before);
    writeFileSync(path, after);
  }
  return dir;
}

const failure = loadFailure;

const MALIGNANCY = "same-as: {study: belimumab-iim, criterion: exc-malignancy-5y}";
const glp1 = (change: (text: string) => string): [string, (text: string) => string] => ['glp1-ckd/study.yaml', change];

/** A colon cancer in remission since 2022-06-01, screened on 2026-10-11 (4 years and 4 months). */
async function malignancy4yAgo(dir: string) {
  const study = (await loadStudies(dir)).get('glp1-ckd')!;
  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1965-06-06' } },
      {
        resource: {
          resourceType: 'Condition',
          id: 'ca',
          subject: { reference: 'Patient/p1' },
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
          code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C18.7' }] },
          onsetDateTime: '2021-01-01',
          abatementDateTime: '2022-06-01',
        },
      },
    ],
  };
  const criterion = study.criteria.find((c) => c.id === 'exc-malignancy-5y')!;
  return criterion.evaluate(study.mapping.buildModel(buildPatientRecord(bundle), '2026-10-11'));
}

describe('same-as', () => {
  it("reads the lending study's thresholds: belimumab-iim's 5 years, then 3 when that study's file says 3", async () => {
    expect((await malignancy4yAgo(root())).result).toBe('met');
    const edited = root([['belimumab-iim/thresholds.yaml', (t) => t.replace(/^exc-malignancy-5y: \{years: 5\}$/m, 'exc-malignancy-5y: {years: 3}')]]);
    expect((await malignancy4yAgo(edited)).result).toBe('not-met');
  });

  it("puts the lender's folder into the borrower's criteriaVersion, and the identity reader agrees", async () => {
    const before = root();
    const after = root([['belimumab-iim/thresholds.yaml', (t) => `${t}\n# edited\n`]]);
    const versionOf = async (dir: string) => (await loadStudies(dir)).get('glp1-ckd')!.criteriaVersion;
    expect((await readStudyIdentity(before, 'glp1-ckd'))!.criteriaVersion).toBe(await versionOf(before));
    expect((await readStudyIdentity(after, 'glp1-ckd'))!.criteriaVersion).toBe(await versionOf(after));
    expect(await versionOf(after)).not.toBe(await versionOf(before));
  });

  it('an unknown study or criterion stops start-up at the same-as line', async () => {
    const dir = root([glp1((t) => t.replace(MALIGNANCY, 'same-as: {study: no-such-study, criterion: exc-malignancy-5y}'))]);
    const err = await failure(dir);
    expect(err.file).toBe('glp1-ckd/study.yaml');
    expect(err.problem).toContain("no study folder 'no-such-study' beside this one");
    const text = readFileSync(join(dir, 'glp1-ckd/study.yaml'), 'utf8');
    expect(err.line).toBe(text.slice(0, text.indexOf('same-as: {study: no-such-study')).split('\n').length);
    const missing = await failure(root([glp1((t) => t.replace(MALIGNANCY, 'same-as: {study: belimumab-iim, criterion: exc-nothing}'))]));
    expect(missing.problem).toContain("study belimumab-iim has no criterion 'exc-nothing'");
  });

  it('a TypeScript criterion its study does not declare borrowable is refused', async () => {
    const err = await failure(root([glp1((t) => t.replace(MALIGNANCY, 'same-as: {study: belimumab-iim, criterion: exc-hiv}'))]));
    expect(err.problem).toContain('exc-hiv is not declared borrowable');
  });

  it('a criterion of the other type is refused', async () => {
    const err = await failure(root([glp1((t) => t.replace(MALIGNANCY, 'same-as: {study: belimumab-iim, criterion: inc-pregnancy-contraception}'))]));
    expect(err.path).toMatch(/^\/criteria\/\d+\/type$/);
    expect(err.problem).toContain('is exclusion here but the criterion it is the same as is inclusion');
  });

  it('a value set a borrowed rule names must be defined for the borrowing study', async () => {
    const dir = root();
    cpSync('test/fixtures/kit-studies/kit-demo', join(dir, 'kit-demo'), { recursive: true });
    for (const file of ['kit-demo/study.yaml', 'kit-demo/value-sets.yaml']) {
      const path = join(dir, file);
      writeFileSync(path, readFileSync(path, 'utf8').replaceAll('dx-t1dm', 'kd-type1'));
    }
    const path = join(dir, 'glp1-ckd/study.yaml');
    const text = readFileSync(path, 'utf8');
    const e2 = 'condition: {valueSets: [kidney-disease-other], when: any-time,';
    expect(text).toContain(e2);
    writeFileSync(path, text.replace(/condition: \{valueSets: \[kidney-disease-other\], when: any-time, name: [^}]*\}/, 'same-as: {study: kit-demo, criterion: exc-type1-diabetes}'));
    const err = await failure(dir);
    expect(err.file).toBe('glp1-ckd/study.yaml');
    expect(err.problem).toContain("value set 'kd-type1' is not defined in value-sets.yaml");
  });

  it('naming its own study is refused', async () => {
    const err = await failure(root([glp1((t) => t.replace(MALIGNANCY, 'same-as: {study: glp1-ckd, criterion: exc-pancreatitis}'))]));
    expect(err.problem).toContain('same-as names this study (glp1-ckd)');
  });

  it('a kit rule is borrowed as written and checked against the borrower; a borrowed rule may not borrow again', async () => {
    const dir = root();
    cpSync('test/fixtures/kit-studies/kit-demo', join(dir, 'kit-demo'), { recursive: true });
    const consent = `  - id: inc-consent\n    type: inclusion\n    seed: I6\n    title: 'Able to understand and give consent'\n    missingData: manual\n    rule:\n      all:\n        - patient-alive: {}\n        - manual: {reason: 'the investigator confirms the patient can understand the study and consent'}\n`;
    const borrowing = (file: string) => file.replace(consent, `  - id: inc-consent\n    type: inclusion\n    seed: I6\n    title: 'Able to consent'\n    missingData: manual\n    rule:\n      same-as: {study: kit-demo, criterion: inc-consent}\n`);
    const path = join(dir, 'glp1-ckd/study.yaml');
    writeFileSync(path, borrowing(readFileSync(path, 'utf8')));
    const study = (await loadStudies(dir)).get('glp1-ckd')!;
    const out = study.criteria.find((c) => c.id === 'inc-consent')!.evaluate(study.mapping.buildModel(buildPatientRecord({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'p1' } }] }), '2026-10-11'));
    expect(out).toMatchObject({ result: 'unknown', manual: true, reason: 'the investigator confirms the patient can understand and consent' });
    // kit-demo borrowing from glp1-ckd, which itself borrows: no chains.
    const demo = join(dir, 'kit-demo/study.yaml');
    writeFileSync(demo, readFileSync(demo, 'utf8').replace('condition: {valueSets: [dx-t1dm], when: active, name: type 1 diabetes}', 'same-as: {study: glp1-ckd, criterion: exc-malignancy-5y}'));
    expect((await failure(dir)).problem).toContain("glp1-ckd's exc-malignancy-5y borrows a rule itself; same-as does not chain");
  });

  it('is resolved only when a study folder is loaded', () => {
    expect(() => compileRule({ 'same-as': { study: 'belimumab-iim', criterion: 'exc-malignancy-5y' } })).toThrow(RuleError);
    expect(() => compileRule({ 'same-as': { study: 'belimumab-iim' } })).toThrow(/same-as takes/);
  });
});
