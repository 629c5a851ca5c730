// Block `latest-value`: the latest lab or score in a window against a threshold or band, with
// UCUM conversion, a threshold per unit family (HbA1c % vs mmol/mol), ULN multiples, written
// comparators, and a derived eGFR (CKD-EPI 2021) competing with reported ones by date.

import { describe, expect, it } from 'vitest';
import { latestValue, checkLatestValue, type LatestValueParams } from '../../../src/criteria/kit/blocks/latest-value.js';
import { ckdEpi2021 } from '../../../src/criteria/kit/blocks/derived-egfr.js';
import type { EligibilityModel, LabResult, TestDefinition } from '../../../src/mapping/model.js';
import { D, day, lab, model } from '../helpers/model-builder.js';

const LOINC = 'http://loinc.org';
const TESTS: Record<string, TestDefinition> = {
  'hba1c-ngsp': { display: 'HbA1c', unit: '%', codings: [{ system: LOINC, code: '4548-4' }] },
  'hba1c-ifcc': { display: 'HbA1c (IFCC)', unit: 'mmol/mol', codings: [{ system: LOINC, code: '59261-8' }] },
  egfr: { display: 'eGFR', unit: 'mL/min/{1.73_m2}', codings: [{ system: LOINC, code: '62238-1' }] },
  creatinine: { display: 'Creatinine', unit: 'mg/dL', codings: [{ system: LOINC, code: '2160-0' }] },
  ggt: { display: 'GGT', unit: 'U/L', codings: [{ system: LOINC, code: '2324-2' }] },
  igg: { display: 'IgG', unit: 'mg/dL', codings: [{ system: LOINC, code: '2465-3' }] },
};

function m(labs: LabResult[], extra: Partial<EligibilityModel> = {}): EligibilityModel {
  return model({ labs, tests: TESTS, ...extra });
}

const HBA1C: LatestValueParams = {
  tests: ['hba1c-ngsp', 'hba1c-ifcc'],
  within: { days: 90 },
  byUnit: [
    { unit: '%', atMost: 10.0 },
    { unit: 'mmol/mol', atMost: 86 },
  ],
};
const a1c = (value: number, unit: string, date = '2026-10-01', test = unit === '%' ? 'hba1c-ngsp' : 'hba1c-ifcc') => lab(test, { value, unit, date, valueText: `${value} ${unit}` });

describe('a threshold (inc-hba1c: ≤ 10.0 % or ≤ 86 mmol/mol, latest within 90 days)', () => {
  it('both sides of the % threshold', () => {
    expect(latestValue(m([a1c(10.0, '%')]), HBA1C).result).toBe('met');
    expect(latestValue(m([a1c(10.1, '%')]), HBA1C).result).toBe('not-met');
  });
  it('both sides of the mmol/mol threshold: each unit family has its own', () => {
    expect(latestValue(m([a1c(86, 'mmol/mol')]), HBA1C).result).toBe('met');
    const over = latestValue(m([a1c(87, 'mmol/mol')]), HBA1C);
    expect(over.result).toBe('not-met');
    expect(over.reason).toContain('≤ 86 mmol/mol');
  });
  it('a unit of no listed family counts as missing, with the reason', () => {
    const out = latestValue(m([lab('hba1c-ngsp', { value: 0.07, unit: 'g/g', date: '2026-10-01', valueText: '0.07 g/g' })]), HBA1C);
    expect(out.result).toBe('unknown');
    expect(out.manual).toBe(false);
    expect(out.reason).toContain("no limit is set for unit 'g/g'");
    expect(out.missingData[0]!.query).toBe('Observation?patient=p1&code=http://loinc.org|4548-4,http://loinc.org|59261-8');
  });
  it('a value the mapping could not convert counts as missing', () => {
    const out = latestValue(m([lab('hba1c-ngsp', { valueProblem: "unit 'foo' cannot be converted to %", date: '2026-10-01', valueText: '7 foo' })]), HBA1C);
    expect(out.result).toBe('unknown');
    expect(out.reason).toContain("unit 'foo' cannot be converted");
  });
  it('the window edge: D − 90 days counts, one day earlier is stale (missing)', () => {
    expect(latestValue(m([a1c(7, '%', '2026-07-28')]), HBA1C).result).toBe('met');
    const stale = latestValue(m([a1c(7, '%', '2026-07-27')]), HBA1C);
    expect(stale.result).toBe('unknown');
    expect(stale.reason).toContain('older than 90 days');
    expect(stale.evidence).toEqual([expect.stringMatching(/^Observation\//)]);
  });
  it('a result after D is not known at D', () => {
    expect(latestValue(m([a1c(7, '%', '2026-10-27')]), HBA1C).result).toBe('unknown');
  });
  it('a partial date across the window start may or may not count: unknown', () => {
    const out = latestValue(m([a1c(7, '%', '2026-07')]), HBA1C);
    expect(out.result).toBe('unknown');
    expect(out.reason).toContain('may or may not lie within 90 days');
  });
  it('the latest result decides, not the worst: an older failing value is overruled', () => {
    expect(latestValue(m([a1c(12, '%', '2026-09-01'), a1c(7, '%', '2026-10-01')]), HBA1C).result).toBe('met');
    expect(latestValue(m([a1c(7, '%', '2026-09-01'), a1c(12, '%', '2026-10-01')]), HBA1C).result).toBe('not-met');
  });
  it('two results on the latest day that disagree leave it unknown (open)', () => {
    const out = latestValue(m([a1c(7, '%'), a1c(90, 'mmol/mol')]), HBA1C);
    expect(out.result).toBe('unknown');
    expect(out.manual).toBe(false);
    expect(out.reason).toContain('disagree');
  });
  it('whenMissing: a closed rule decides when nothing is found; manual leaves it to a person', () => {
    expect(latestValue(m([]), { ...HBA1C, whenMissing: 'not-met' }).result).toBe('not-met');
    const manual = latestValue(m([]), { ...HBA1C, whenMissing: 'manual' });
    expect([manual.result, manual.manual]).toEqual(['unknown', true]);
    const open = latestValue(m([]), HBA1C);
    expect([open.result, open.manual]).toEqual(['unknown', false]);
  });
});

describe('a band, UCUM conversion and written comparators', () => {
  const band: LatestValueParams = { tests: ['egfr'], within: { days: 90 }, atLeast: 25, below: 50 };
  const egfr = (value: number, comparator?: LabResult['comparator']) =>
    lab('egfr', { value, unit: 'mL/min/{1.73_m2}', date: '2026-10-01', valueText: `${comparator ?? ''}${value}`, ...(comparator ? { comparator } : {}) });
  it('both edges of [25, 50)', () => {
    expect(latestValue(m([egfr(24.9)]), band).result).toBe('not-met');
    expect(latestValue(m([egfr(25)]), band).result).toBe('met');
    expect(latestValue(m([egfr(49.9)]), band).result).toBe('met');
    expect(latestValue(m([egfr(50)]), band).result).toBe('not-met');
  });
  it('above and atMost are strict and inclusive', () => {
    const p: LatestValueParams = { tests: ['egfr'], within: { days: 90 }, above: 25, atMost: 50 };
    expect(latestValue(m([egfr(25)]), p).result).toBe('not-met');
    expect(latestValue(m([egfr(50)]), p).result).toBe('met');
    expect(latestValue(m([egfr(50.1)]), p).result).toBe('not-met');
  });
  it('a comparator decides only when every value it allows falls on one side', () => {
    expect(latestValue(m([egfr(20, '<')]), band).result).toBe('not-met');
    expect(latestValue(m([egfr(25, '<')]), band).result).toBe('not-met');
    expect(latestValue(m([egfr(40, '<')]), band).result).toBe('unknown');
    expect(latestValue(m([egfr(60, '>')]), band).result).toBe('not-met');
    expect(latestValue(m([egfr(49, '>')]), band).result).toBe('unknown');
    expect(latestValue(m([egfr(50, '>=')]), { tests: ['egfr'], within: { days: 90 }, atLeast: 50 }).result).toBe('met');
  });
  it('limits in another unit convert by UCUM (mg/dL value against g/L limits)', () => {
    const p: LatestValueParams = { tests: ['igg'], within: { months: 12 }, unit: 'g/L', below: 4 };
    expect(latestValue(m([lab('igg', { value: 399, unit: 'mg/dL', date: '2026-10-01' })]), p).result).toBe('met');
    expect(latestValue(m([lab('igg', { value: 400, unit: 'mg/dL', date: '2026-10-01' })]), p).result).toBe('not-met');
    const wrong: LatestValueParams = { tests: ['igg'], within: { months: 12 }, unit: 'mmol/L', below: 4 };
    expect(latestValue(m([lab('igg', { value: 399, unit: 'mg/dL', date: '2026-10-01' })]), wrong).reason).toContain('cannot be converted to mmol/L');
  });
  it('ULN multiples: both sides of 1.5 × ULN, and no ULN is missing', () => {
    const p: LatestValueParams = { tests: ['ggt'], within: { days: 180 }, relativeTo: 'uln', above: 1.5 };
    expect(latestValue(m([lab('ggt', { value: 90, unit: 'U/L', uln: 60, date: '2026-10-01' })]), p).result).toBe('not-met');
    expect(latestValue(m([lab('ggt', { value: 90.1, unit: 'U/L', uln: 60, date: '2026-10-01' })]), p).result).toBe('met');
    expect(latestValue(m([lab('ggt', { value: 90.1, unit: 'U/L', date: '2026-10-01' })]), p).reason).toContain('no upper limit of normal');
  });
  it('a score (assessment) is read like a lab', () => {
    const score = { ref: 'Observation/s1', measure: 'haq-di', date: day('2026-10-01'), value: 0.25, unit: '{score}', valueText: '0.25', positivity: 'unknown' as const };
    const mm = model({ assessments: [score] });
    expect(latestValue(mm, { tests: ['haq-di'], within: { days: 90 }, atLeast: 0.25 }).result).toBe('met');
    expect(latestValue(mm, { tests: ['haq-di'], within: { days: 90 }, above: 0.25 }).result).toBe('not-met');
  });
});

describe('derived eGFR (CKD-EPI 2021) competing with reported results', () => {
  const p: LatestValueParams = { tests: ['egfr'], derived: [{ formula: 'ckd-epi-2021', from: ['creatinine'] }], within: { days: 90 }, atLeast: 50, atMost: 75 };
  const scr = (value: number, date: string, unit = 'mg/dL') => lab('creatinine', { value, unit, date, valueText: `${value} ${unit}` });
  const egfr = (value: number, date: string) => lab('egfr', { value, unit: 'mL/min/{1.73_m2}', date, valueText: String(value) });
  // Born 1970-01-01, female (model-builder): 56 on 2026-10-01.
  it('the formula, rounded to one decimal (reference values worked by hand)', () => {
    expect(ckdEpi2021(1.0, 60, 'female')).toBe(64.5);
    expect(ckdEpi2021(1.0, 60, 'male')).toBe(86.2);
    expect(ckdEpi2021(0.6, 40, 'female')).toBe(116.3);
  });
  it('computed from creatinine when no eGFR is reported, and the reason says so', () => {
    const out = latestValue(m([scr(1.0, '2026-10-01')]), p);
    expect(out.result).toBe('met');
    expect(out.reason).toContain('computed by CKD-EPI 2021');
    expect(out.reason).toContain(`eGFR ${ckdEpi2021(1.0, 56, 'female')}`);
  });
  it('µmol/L creatinine is not computed by a guess: a unit UCUM cannot turn into mg/dL is missing', () => {
    const out = latestValue(m([scr(88.4, '2026-10-01', 'umol/L')]), p);
    expect(out.result).toBe('unknown');
    expect(out.reason).toContain('no eGFR computed');
  });
  it('the later of reported and computed wins', () => {
    expect(latestValue(m([egfr(30, '2026-09-01'), scr(1.0, '2026-10-01')]), p).result).toBe('met');
    expect(latestValue(m([egfr(30, '2026-10-01'), scr(1.0, '2026-09-01')]), p).result).toBe('not-met');
  });
  it('on the same day the reported one wins', () => {
    const out = latestValue(m([egfr(30, '2026-10-01'), scr(1.0, '2026-10-01')]), p);
    expect(out.result).toBe('not-met');
    expect(out.reason).not.toContain('computed');
  });
  it('no eGFR for a gender other than male or female, or with no birth date', () => {
    const other = latestValue(m([scr(1.0, '2026-10-01')], { patient: { ref: 'Patient/p1', id: 'p1', gender: 'other', birthDate: day('1970-01-01'), deceased: false } }), p);
    expect(other.result).toBe('unknown');
    expect(other.reason).toContain('needs a gender of male or female');
    const noBirth = latestValue(m([scr(1.0, '2026-10-01')], { patient: { ref: 'Patient/p1', id: 'p1', gender: 'female', deceased: false } }), p);
    expect(noBirth.reason).toContain('no birth date');
  });
  it('the age is taken on the creatinine date: a birthday between it and D does not change it', () => {
    const patient = { ref: 'Patient/p1', id: 'p1', gender: 'male', birthDate: day('1966-10-15'), deceased: false };
    const out = latestValue(m([scr(1.0, '2026-10-01')], { patient }), { ...p, atLeast: 0, atMost: 1000 });
    expect(out.reason).toContain(`eGFR ${ckdEpi2021(1.0, 59, 'male')} `);
  });
  it('a comparator on creatinine gives no computed value', () => {
    const out = latestValue(m([lab('creatinine', { value: 0.5, comparator: '<', unit: 'mg/dL', date: '2026-10-01' })]), p);
    expect(out.result).toBe('unknown');
  });
  it(`D is ${D}`, () => expect(D).toBe('2026-10-26'));
});

describe('checkLatestValue: the rules the schema cannot say', () => {
  it('names a block with no limit, limits given twice, or no source', () => {
    expect(checkLatestValue({ tests: ['egfr'], within: { days: 90 } })).toContain('needs a limit');
    expect(checkLatestValue({ tests: ['egfr'], within: { days: 90 }, atMost: 1, byUnit: [{ unit: '%', atMost: 1 }] })).toContain('byUnit replaces');
    expect(checkLatestValue({ within: { days: 90 }, atMost: 1 })).toContain('needs tests or derived');
    expect(checkLatestValue({ tests: ['egfr'], within: { days: 90 }, byUnit: [{ unit: '%' }] })).toContain('byUnit % has no limit');
    expect(checkLatestValue(HBA1C)).toBeUndefined();
  });
});
