import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { STUDY_CODE } from '../../src/criteria/belimumab-iim/index.js';
import { loadStudyMapping } from '../../src/mapping/load-study.js';
import { needsOf } from '../../src/screening/study-registry.js';
import { MappingError } from '../../src/mapping/mapping-error.js';

const BELIMUMAB_NEEDS = needsOf(STUDY_CODE);

const MAPPINGS = join(import.meta.dirname, '../../fhir-mappings');
const SOURCE = join(MAPPINGS, 'belimumab-iim');
const temps: string[] = [];

/** A copy of fhir-mappings/ (the site folder beside the study): the copied study folder. */
function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'mapping-'));
  cpSync(MAPPINGS, root, { recursive: true });
  temps.push(root);
  return join(root, 'belimumab-iim');
}

function edit(dir: string, file: string, change: (text: string) => string): void {
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = change(before);
  expect(after, 'the test edit must change the file').not.toBe(before);
  writeFileSync(path, after);
}

function failure(dir: string): MappingError {
  try {
    loadStudyMapping(dir, BELIMUMAB_NEEDS);
  } catch (err) {
    expect(err).toBeInstanceOf(MappingError);
    return err as MappingError;
  }
  throw new Error('loadStudyMapping did not fail');
}

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadStudyMapping', () => {
  it('loads the shipped study with every criterion in criteria.md order', () => {
    const m = loadStudyMapping(SOURCE, BELIMUMAB_NEEDS);
    expect(m.id).toBe('belimumab-iim');
    expect(m.criteria).toHaveLength(30);
    expect(m.criteria.map((c) => c.seed).slice(0, 10)).toEqual(['I1', 'I2', 'I3', 'I4', 'I5', 'I7', 'I8', 'I9', 'I10', 'I11']);
    expect(m.criteria[10]).toEqual({ id: 'exc-muscle-damage', type: 'exclusion', seed: 'E1', title: 'Severe muscle damage', missingData: 'open' });
    expect(m.criteria.at(-1)?.id).toBe('exc-significant-illness');
    expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives the same hash for the same bytes and a new one when a byte changes', () => {
    const dir = copy();
    const a = loadStudyMapping(dir, BELIMUMAB_NEEDS).contentHash;
    expect(loadStudyMapping(SOURCE, BELIMUMAB_NEEDS).contentHash).toBe(a);
    edit(dir, 'thresholds.yaml', (t) => `${t}\n# reviewed\n`);
    expect(loadStudyMapping(dir, BELIMUMAB_NEEDS).contentHash).not.toBe(a);
  });

  it('names a missing file', () => {
    const dir = copy();
    unlinkSync(join(dir, 'assessments.yaml'));
    const e = failure(dir);
    expect(e.file).toBe('assessments.yaml');
    expect(e.message).toMatch(/assessments\.yaml: file is missing/);
  });

  it('names an empty file', () => {
    const dir = copy();
    writeFileSync(join(dir, 'routes.yaml'), '# nothing yet\n');
    expect(failure(dir).message).toBe('routes.yaml: file is empty');
  });

  it('names invalid YAML', () => {
    const dir = copy();
    edit(dir, '../_site/timing.yaml', (t) => `${t}\nperiodUnitDays: [unclosed\n`);
    const e = failure(dir);
    expect(e.file).toBe('_site/timing.yaml');
    expect(e.message).toMatch(/not valid YAML/);
    expect(e.line).toBeGreaterThan(1);
  });

  it('names an empty value set by file and path', () => {
    const dir = copy();
    edit(dir, 'value-sets.yaml', (t) => t.replace(/hsv:\n  title: Herpesviral infection\n  include:\n    - \{[^\n]*\}/, 'hsv:\n  title: Herpesviral infection\n  include: []'));
    const e = failure(dir);
    expect(e.file).toBe('value-sets.yaml');
    expect(e.path).toBe('/hsv/include');
  });

  it('names a value set the model builder needs but the file lacks', () => {
    const dir = copy();
    edit(dir, 'value-sets.yaml', (t) => t.replace('\nzoster:\n', '\nzoster-renamed:\n'));
    const e = failure(dir);
    expect(e.path).toBe('/zoster');
    expect(e.message).toMatch(/value set 'zoster' is required/);
  });

  it('names a value set an agent refers to that does not exist', () => {
    const dir = copy();
    edit(dir, 'medications.yaml', (t) => t.replace('targets: [cmv]', 'targets: [cmv-typo]'));
    const e = failure(dir);
    expect(e.file).toBe('medications.yaml');
    expect(e.path).toMatch(/^\/agents\/(valganciclovir|letermovir)\/targets\/0$/);
  });

  it('names a lab of the negative panel that does not exist', () => {
    const dir = copy();
    edit(dir, 'thresholds.yaml', (t) => t.replace('[msa-jo1, msa-mi2, msa-srp]', '[msa-jo1, msa-mi2, msa-srpx]'));
    expect(failure(dir).path).toBe('/inc-autoantibody/requiredNegativePanel/2');
  });

  it('names a unit UCUM does not know', () => {
    const dir = copy();
    edit(dir, 'labs.yaml', (t) => t.replace('ck:\n  display: Creatine kinase\n  unit: U/L', 'ck:\n  display: Creatine kinase\n  unit: units per litre'));
    const e = failure(dir);
    expect(e.file).toBe('labs.yaml');
    expect(e.path).toBe('/ck/unit');
    expect(e.message).toMatch(/'units per litre' is not a UCUM unit/);
  });

  it('names a FHIRPath expression that does not compile', () => {
    const dir = copy();
    edit(dir, '../_site/extract.yaml', (t) => t.replace('issued: Observation.issued', 'issued: Observation.issued.where('));
    const e = failure(dir);
    expect(e.file).toBe('_site/extract.yaml');
    expect(e.path).toBe('/Observation/issued');
    expect(e.message).toMatch(/does not compile/);
  });

  it('refuses an expression written for another resource type', () => {
    const dir = copy();
    edit(dir, '../_site/extract.yaml', (t) => t.replace('performed: Procedure.performed', 'performed: Observation.effective'));
    expect(failure(dir).path).toBe('/Procedure/performed');
  });

  it('names a missing extraction field', () => {
    const dir = copy();
    edit(dir, '../_site/extract.yaml', (t) => t.replace('  recordedDate: Condition.recordedDate\n', ''));
    const e = failure(dir);
    expect(e.file).toBe('_site/extract.yaml');
    expect(e.path).toBe('/Condition');
    expect(e.message).toMatch(/recordedDate/);
  });

  it('names a missing threshold', () => {
    const dir = copy();
    edit(dir, 'thresholds.yaml', (t) => t.replace('  haqDiMin: 0.25\n', ''));
    const e = failure(dir);
    expect(e.file).toBe('thresholds.yaml');
    expect(e.path).toBe('/inc-active-disease');
    expect(e.message).toMatch(/haqDiMin/);
  });

  it('names a threshold that is not a number', () => {
    const dir = copy();
    edit(dir, 'thresholds.yaml', (t) => t.replace('inc-age: {minYears: 18}', "inc-age: {minYears: 'eighteen'}"));
    expect(failure(dir).path).toBe('/inc-age/minYears');
  });

  it('names an unknown code system short name', () => {
    const dir = copy();
    edit(dir, 'value-sets.yaml', (t) => t.replace('{system: icd10cm, code: K75.4', '{system: icd10, code: K75.4'));
    const e = failure(dir);
    expect(e.path).toBe('/autoimmune-hepatitis/include/0/system');
    expect(e.message).toMatch(/unknown code system 'icd10'/);
  });

  it('names a row with two kinds of rule, and a broken regex', () => {
    const dir = copy();
    edit(dir, 'value-sets.yaml', (t) => t.replace('{system: icd10cm, code: K75.4', '{system: icd10cm, prefix: K75, code: K75.4'));
    expect(failure(dir).path).toBe('/autoimmune-hepatitis/include/0');
    const dir2 = copy();
    edit(dir2, '../_site/value-sets.yaml', (t) => t.replace("regex: '^C44\\.\\d[12]'", "regex: '^C44\\.(\\d[12]'"));
    const e = failure(dir2);
    // A site entry's problem names the site's file, with its line.
    expect([e.file, e.path]).toEqual(['_site/value-sets.yaml', '/malignancy/exclude/0/regex']);
    const text = readFileSync(join(dir2, '../_site/value-sets.yaml'), 'utf8');
    expect(e.line).toBe(text.slice(0, text.indexOf("regex: '^C44")).split('\n').length);
  });

  it('names a measure of a generic code (scaleOf) that does not state its scale', () => {
    const dir = copy();
    edit(dir, 'assessments.yaml', (t) => t.replace('  scale: 150\n', ''));
    const e = failure(dir);
    expect([e.file, e.path]).toEqual(['assessments.yaml', '/mmt8/scaleOf/measures/1']);
    expect(e.problem).toBe("measure 'mmt8-150' is not in assessments.yaml with a scale");
  });

  it('names a glucocorticoid without its prednisone factor', () => {
    const dir = copy();
    edit(dir, 'medications.yaml', (t) => t.replace('    prednisoneFactor: 0.83\n', ''));
    expect(failure(dir).path).toBe('/agents/deflazacort/prednisoneFactor');
  });

  it('names a typo in a field name', () => {
    const dir = copy();
    edit(dir, 'labs.yaml', (t) => t.replace('  defaultUln: 7.6', '  defaultULN: 7.6'));
    const e = failure(dir);
    expect(e.path).toBe('/aldolase');
    expect(e.message).toMatch(/defaultULN/);
    const text = readFileSync(join(dir, 'labs.yaml'), 'utf8');
    expect(e.line).toBe(text.slice(0, text.indexOf('defaultULN')).split('\n').length);
  });
});
