// Rules as a study's YAML writes them: compiled once against the block registry, with mistakes
// reported by path; and the glp1-ckd `inc-kidney-function` (I4) rule composed from kit blocks as
// the worked example, on both sides of each band edge and with missing values.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BLOCKS } from '../../../src/criteria/kit/registry.js';
import { ruleReferences } from '../../../src/criteria/kit/rule-references.js';
import { compileRule, ruleCriterion, RuleError } from '../../../src/criteria/kit/rule.js';
import type { EligibilityModel, LabResult, TestDefinition } from '../../../src/mapping/model.js';
import { dx, lab, model } from '../helpers/model-builder.js';

function errorOf(rule: unknown): RuleError {
  try {
    compileRule(rule);
  } catch (err) {
    if (err instanceof RuleError) return err;
    throw err;
  }
  throw new Error('the rule compiled');
}

describe('compileRule: mistakes are reported with their path', () => {
  it('an unknown block, including names that are Object.prototype keys', () => {
    for (const name of ['no-such-block', 'constructor', '__proto__', 'toString']) {
      const err = errorOf(parse(`all:\n  - ${name}: {}\n`));
      expect(err.path).toBe(`/all/0/${name}`);
      expect(err.detail).toContain(`unknown block '${name}'`);
    }
  });
  it('a parameter the block does not take, a wrong type, and a missing one', () => {
    const extra = errorOf({ any: [{ age: { atLeast: 18, atleast: 18 } }] });
    expect(extra.path).toBe('/any/0/age');
    expect(extra.detail).toContain('atleast');
    const wrong = errorOf({ 'latest-value': { tests: ['egfr'], within: { days: 'ninety' }, atLeast: 1 } });
    expect(wrong.path).toMatch(/^\/latest-value\/within/);
    const missing = errorOf({ condition: { valueSets: ['dx-t2dm'] } });
    expect(missing.path).toBe('/condition');
  });
  it('a rule the schema cannot say is checked by the block', () => {
    expect(errorOf({ not: { age: {} } }).detail).toContain('needs a limit');
  });
  it('a node with two keys, an empty list, or not an object', () => {
    expect(errorOf({ all: [], any: [] }).detail).toContain('exactly one key');
    expect(errorOf({ all: [] }).detail).toContain('at least one rule');
    expect(errorOf({ all: ['age'] }).path).toBe('/all/0');
  });
  it('every registered block has a schema and an evaluate', () => {
    expect([...BLOCKS.keys()].sort()).toEqual([
      'age', 'condition', 'family-history', 'intolerance', 'latest-coded-value', 'latest-value', 'manual',
      'medication-begun-before', 'medication-current', 'medication-within', 'medications-current-together', 'patient-alive', 'procedure',
    ]);
  });
});

describe('composition: consent is all(patient-alive, manual)', () => {
  const consent = ruleCriterion('inc-consent', 'inclusion', parse('all:\n  - patient-alive: {}\n  - manual: { reason: only a person can confirm consent }\n'));
  it('alive: unknown and manual; deceased: not-met', () => {
    expect(consent.evaluate(model())).toMatchObject({ result: 'unknown', manual: true, reason: 'only a person can confirm consent' });
    expect(consent.evaluate(model({ patient: { ref: 'Patient/p1', id: 'p1', deceased: true } })).result).toBe('not-met');
  });
});

// glp1-ckd inc-kidney-function (I4): any(all(eGFR ≥ 50, eGFR ≤ 75, UACR > 300, UACR < 5000),
// all(eGFR ≥ 25, eGFR < 50, UACR > 100, UACR < 5000)), each the latest within 90 days; eGFR
// reported or computed from creatinine (CKD-EPI 2021), whichever is later.
const I4 = parse(`
any:
  - all:
      - latest-value: { tests: [egfr], derived: [{ formula: ckd-epi-2021, from: [creatinine] }], within: { days: 90 }, atLeast: 50 }
      - latest-value: { tests: [egfr], derived: [{ formula: ckd-epi-2021, from: [creatinine] }], within: { days: 90 }, atMost: 75 }
      - latest-value: { tests: [uacr], within: { days: 90 }, unit: mg/g, above: 300 }
      - latest-value: { tests: [uacr], within: { days: 90 }, unit: mg/g, below: 5000 }
  - all:
      - latest-value: { tests: [egfr], derived: [{ formula: ckd-epi-2021, from: [creatinine] }], within: { days: 90 }, atLeast: 25 }
      - latest-value: { tests: [egfr], derived: [{ formula: ckd-epi-2021, from: [creatinine] }], within: { days: 90 }, below: 50 }
      - latest-value: { tests: [uacr], within: { days: 90 }, unit: mg/g, above: 100 }
      - latest-value: { tests: [uacr], within: { days: 90 }, unit: mg/g, below: 5000 }
`);

describe('worked example: glp1-ckd inc-kidney-function (I4) from kit blocks', () => {
  const LOINC = 'http://loinc.org';
  const tests: Record<string, TestDefinition> = {
    egfr: { display: 'eGFR', unit: 'mL/min/{1.73_m2}', codings: [{ system: LOINC, code: '62238-1' }] },
    creatinine: { display: 'Creatinine', unit: 'mg/dL', codings: [{ system: LOINC, code: '2160-0' }] },
    uacr: { display: 'UACR', unit: 'mg/g', codings: [{ system: LOINC, code: '9318-7' }] },
  };
  const i4 = ruleCriterion('inc-kidney-function', 'inclusion', I4);
  const egfr = (value: number): LabResult => lab('egfr', { value, unit: 'mL/min/{1.73_m2}', date: '2026-10-01', valueText: String(value) });
  const uacr = (value: number): LabResult => lab('uacr', { value, unit: 'mg/g', date: '2026-10-01', valueText: `${value} mg/g` });
  const run = (...labs: LabResult[]) => i4.evaluate({ ...model({ labs, tests }) } as EligibilityModel);

  const cases: Array<[string, number | undefined, number | undefined, string]> = [
    ['upper band', 60, 350, 'met'],
    ['upper band, eGFR at 50', 50, 350, 'met'],
    ['upper band, eGFR at 75', 75, 350, 'met'],
    ['eGFR just above 75', 75.1, 350, 'not-met'],
    ['upper band, UACR at 300 (must be above)', 60, 300, 'not-met'],
    ['upper band, UACR 300.1', 60, 300.1, 'met'],
    ['UACR at 5000', 60, 5000, 'not-met'],
    ['UACR 4999.9', 60, 4999.9, 'met'],
    ['lower band', 40, 150, 'met'],
    ['lower band, eGFR at 25', 25, 150, 'met'],
    ['eGFR 24.9', 24.9, 150, 'not-met'],
    ['lower band, eGFR 49.9', 49.9, 150, 'met'],
    ['lower band, UACR at 100', 40, 100, 'not-met'],
    ['lower band, UACR 100.1', 40, 100.1, 'met'],
    ['eGFR below 25 decides without UACR', 20, undefined, 'not-met'],
    ['eGFR above 75 decides without UACR', 80, undefined, 'not-met'],
    ['UACR ≤ 100 decides without eGFR', undefined, 90, 'not-met'],
    ['UACR ≥ 5000 decides without eGFR', undefined, 6000, 'not-met'],
    ['eGFR 60 with no UACR is unknown', 60, undefined, 'unknown'],
    ['UACR 350 with no eGFR is unknown', undefined, 350, 'unknown'],
    ['nothing at all is unknown', undefined, undefined, 'unknown'],
  ];
  for (const [name, e, u, expected] of cases) {
    it(`${name}: ${expected}`, () => {
      const labs = [...(e === undefined ? [] : [egfr(e)]), ...(u === undefined ? [] : [uacr(u)])];
      const out = run(...labs);
      expect(out.result).toBe(expected);
      if (expected === 'unknown') {
        expect(out.manual).toBe(false);
        expect(out.missingData.length).toBeGreaterThan(0);
      } else {
        expect(out.missingData).toEqual([]);
      }
    });
  }
  it('an unknown names what is missing, with its FHIR query', () => {
    const out = run(egfr(60));
    expect(out.missingData.map((m) => m.query)).toEqual(['Observation?patient=p1&code=http://loinc.org|9318-7']);
    expect(out.reason).toContain('no UACR within 90 days');
  });
  it('eGFR computed from creatinine (female, 56) decides and the reason says it was computed', () => {
    const out = run(lab('creatinine', { value: 1.0, unit: 'mg/dL', date: '2026-10-01', valueText: '1.0 mg/dL' }), uacr(350));
    expect(out.result).toBe('met');
    expect(out.reason).toContain('computed by CKD-EPI 2021');
    expect(out.evidence).toHaveLength(2);
  });
  it('a later computed eGFR overrides an older reported one', () => {
    const older = lab('egfr', { value: 20, unit: 'mL/min/{1.73_m2}', date: '2026-09-01' });
    expect(run(older, lab('creatinine', { value: 1.0, unit: 'mg/dL', date: '2026-10-01' }), uacr(350)).result).toBe('met');
  });
  it('the outcome keeps the criterion contract (no kit-only fields)', () => {
    expect(Object.keys(run(egfr(60))).sort()).toEqual(['evidence', 'manual', 'missingData', 'reason', 'result']);
  });
});

describe('manual naming: a person sees what the record holds (glp1-ckd E1, I5)', () => {
  const rule = parse(`
manual:
  reason: both recorded, a person reviews
  naming:
    - condition: {valueSets: [dx-t1dm], when: any-time, name: type 1 diabetes}
    - condition: {valueSets: [dx-t2dm], when: any-time, name: type 2 diabetes}
`);
  const both = model({ diagnoses: [dx('dx-t1dm', { ref: 'Condition/t1' }), dx('dx-t2dm', { ref: 'Condition/t2' })] });
  it('appends the reason and evidence of each named rule that is met, and stays manual', () => {
    const out = compileRule(rule)(both);
    expect(out).toMatchObject({ result: 'unknown', manual: true });
    expect(out.reason).toMatch(/^both recorded, a person reviews \(on record: type 1 diabetes recorded: .*Condition\/t1.*; type 2 diabetes recorded: .*Condition\/t2.*\)$/);
    expect(out.evidence).toEqual(['Condition/t1', 'Condition/t2']);
  });
  it('names nothing when none is met', () => {
    expect(compileRule(rule)(model())).toMatchObject({ result: 'unknown', manual: true, reason: 'both recorded, a person reviews', evidence: [] });
  });
  it('a named rule is checked like any other, and its ids count as the rule\'s', () => {
    expect(errorOf({ manual: { reason: 'x', naming: [{ condition: { valueSets: ['a'] } }] } }).path).toBe('/manual/naming/0/condition');
    expect(ruleReferences(rule).map((r) => `${r.kind} ${r.id} ${r.path}`)).toEqual([
      'value set dx-t1dm /manual/naming/0/condition/valueSets/0',
      'value set dx-t2dm /manual/naming/1/condition/valueSets/0',
    ]);
  });
});
