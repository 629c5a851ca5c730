import { describe, expect, it } from 'vitest';
import { STUDY_CODE } from '../../src/criteria/belimumab-iim/index.js';
import { loadStudyMapping } from '../../src/mapping/load-study.js';
import { needsOf } from '../../src/screening/study-registry.js';
import { ICD10CM, normaliseCode } from '../../src/mapping/code-normalise.js';
import { MEMO_LIMIT, ValueSetIndex } from '../../src/mapping/value-set-index.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { join } from 'node:path';

const BELIMUMAB_NEEDS = needsOf(STUDY_CODE);

const SNOMED = 'http://snomed.info/sct';

function index(): ValueSetIndex {
  const ix = new ValueSetIndex();
  ix.include('vs:dm', ICD10CM, { system: 'icd10cm', prefix: 'M33.1', src: 't' });
  ix.include('vs:exact', ICD10CM, { system: 'icd10cm', codes: ['B20', 'K75.4'], src: 't' });
  ix.include('vs:cancer', ICD10CM, { system: 'icd10cm', range: ['C00', 'C96'], src: 't' });
  ix.exclude('vs:cancer', ICD10CM, { system: 'icd10cm', regex: '^C44\\.\\d[12]', src: 't' });
  ix.include('vs:selfharm', ICD10CM, { system: 'icd10cm', range: ['X71', 'X83'], src: 't' });
  ix.include('vs:selfharm', ICD10CM, { system: 'icd10cm', range: ['T36', 'T65'], sixthCharacter: '2', src: 't' });
  ix.include('vs:pid', ICD10CM, { system: 'icd10cm', prefixes: ['D80', 'D84.0', 'D84.89'], src: 't' });
  ix.include('vs:peritonitis', ICD10CM, { system: 'icd10cm', range: ['K65.0', 'K65.1'], src: 't' });
  ix.include('vs:hbv', SNOMED, { system: 'snomed', codes: ['66071002', '271511000'], src: 't' });
  ix.exclude('vs:hbv', SNOMED, { system: 'snomed', code: '271511000', src: 't' });
  return ix;
}

describe('normaliseCode', () => {
  it('puts the dot into ICD-10-CM codes and leaves other systems alone', () => {
    expect(normaliseCode(ICD10CM, 'm3310')).toBe('M33.10');
    expect(normaliseCode(ICD10CM, ' M33.10 ')).toBe('M33.10');
    expect(normaliseCode(ICD10CM, 'B20')).toBe('B20');
    expect(normaliseCode(SNOMED, ' 396230008 ')).toBe('396230008');
  });
});

describe('ValueSetIndex', () => {
  const ix = index();

  it('matches exact codes by system and code only', () => {
    expect(ix.match(ICD10CM, 'K75.4')).toEqual(['vs:exact']);
    expect(ix.match(ICD10CM, 'K754')).toEqual(['vs:exact']);
    expect(ix.match(SNOMED, 'K75.4')).toEqual([]);
    expect(ix.match(ICD10CM, 'K75.41')).toEqual([]);
  });

  it('matches ICD-10-CM prefixes on the dotted form, dotted or dotless input', () => {
    for (const code of ['M33.10', 'M3310', 'M33.19', 'm33.13', 'M33.1']) expect(ix.match(ICD10CM, code), code).toEqual(['vs:dm']);
    expect(ix.match(ICD10CM, 'M33.20')).toEqual([]);
    expect(ix.match(ICD10CM, 'M33')).toEqual([]);
  });

  it('matches prefixes of different lengths and not their neighbours', () => {
    expect(ix.match(ICD10CM, 'D80.1')).toEqual(['vs:pid']);
    expect(ix.match(ICD10CM, 'D84.0')).toEqual(['vs:pid']);
    expect(ix.match(ICD10CM, 'D84.89')).toEqual(['vs:pid']);
    expect(ix.match(ICD10CM, 'D84.81')).toEqual([]);
    expect(ix.match(ICD10CM, 'D84.821')).toEqual([]);
  });

  it('matches ranges with alphanumeric categories (C4A, C7A, C7B)', () => {
    for (const code of ['C00.0', 'C34.90', 'C4A.9', 'C7A.00', 'C7B.1', 'C96.9', 'C43.9']) expect(ix.match(ICD10CM, code), code).toEqual(['vs:cancer']);
    for (const code of ['D00.0', 'C97', 'B99']) expect(ix.match(ICD10CM, code), code).toEqual([]);
  });

  it('applies exclusion regexes: BCC (x1) and SCC (x2) of skin are out, other C44 codes in', () => {
    for (const code of ['C44.01', 'C44.92', 'C44.311', 'C44.3121', 'C44311']) expect(ix.match(ICD10CM, code), code).toEqual([]);
    for (const code of ['C44.00', 'C44.09', 'C44.93', 'C44.99']) expect(ix.match(ICD10CM, code), code).toEqual(['vs:cancer']);
  });

  it('applies exact exclusions (HBV immunity is not infection)', () => {
    expect(ix.match(SNOMED, '66071002')).toEqual(['vs:hbv']);
    expect(ix.match(SNOMED, '271511000')).toEqual([]);
  });

  it('matches X71–X83 and T36–T65 only with 6th character 2', () => {
    expect(ix.match(ICD10CM, 'X71.0XXA')).toEqual(['vs:selfharm']);
    expect(ix.match(ICD10CM, 'X83.8XXA')).toEqual(['vs:selfharm']);
    expect(ix.match(ICD10CM, 'X84')).toEqual([]);
    expect(ix.match(ICD10CM, 'T39.012A')).toEqual(['vs:selfharm']);
    expect(ix.match(ICD10CM, 'T42.4X2A')).toEqual(['vs:selfharm']);
    expect(ix.match(ICD10CM, 'T424X2A')).toEqual(['vs:selfharm']);
    expect(ix.match(ICD10CM, 'T39.011A')).toEqual([]);
    expect(ix.match(ICD10CM, 'T42.4X3A')).toEqual([]);
    expect(ix.match(ICD10CM, 'T66.XXXA')).toEqual([]);
  });

  it('matches a range bounded by dotted codes', () => {
    expect(ix.match(ICD10CM, 'K65.0')).toEqual(['vs:peritonitis']);
    expect(ix.match(ICD10CM, 'K65.1')).toEqual(['vs:peritonitis']);
    expect(ix.match(ICD10CM, 'K65.2')).toEqual([]);
    expect(ix.match(ICD10CM, 'K65')).toEqual([]);
  });

  it('answers nothing, never throws, for odd input', () => {
    expect(ix.match(undefined, 'B20')).toEqual([]);
    expect(ix.match(ICD10CM, 20)).toEqual([]);
    expect(ix.match(ICD10CM, '   ')).toEqual([]);
    expect(ix.match({}, [])).toEqual([]);
  });
});

describe('the shipped value sets', () => {
  const mapping = loadStudyMapping(join(import.meta.dirname, '../../fhir-mappings/belimumab-iim'), BELIMUMAB_NEEDS);
  const bundle = (code: string, system = ICD10CM) => ({
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', id: 'p', birthDate: '1970-01-01' } },
      { resource: { resourceType: 'Condition', id: 'c', code: { coding: [{ system, code }] } } },
    ],
  });
  const concepts = (code: string, system?: string) =>
    mapping.buildModel(buildPatientRecord(bundle(code, system)), '2026-01-01').diagnoses[0]?.concepts ?? [];

  it.each([
    ['M33.12', ['dx-dm']], ['M3312', ['dx-dm']], ['M33.03', ['dx-dm']], ['M33.91', ['dx-dm']], ['M36.0', ['dx-dm']],
    ['M33.22', ['dx-pm']], ['G72.49', ['dx-iim-unspecified']], ['G72.41', []], ['M60.9', []],
    ['C44.311', []], ['C44.399', ['malignancy']], ['C50.911', ['malignancy']], ['Z85.3', ['malignancy-history']],
    ['D84.9', ['primary-immunodeficiency']], ['D84.821', []], ['F17.210', []], ['F10.20', ['substance-abuse']],
    ['F18.10', ['substance-abuse']], ['R45.851', ['suicidal-ideation']], ['T14.91XA', ['suicidal-behaviour']],
    ['T71.112A', ['suicidal-behaviour']], ['O09.90', ['pregnancy']], ['O9A.111', ['pregnancy']], ['Z33.1', ['pregnancy']],
    ['R76.11', ['tb-latent']],
  ])('%s → %j', (code, expected) => {
    expect(concepts(code)).toEqual(expected);
  });

  it('puts one code in every concept it belongs to (B20 is HIV and an infection)', () => {
    expect(concepts('B20').sort()).toEqual(['hiv', 'infection']);
    expect(concepts('A15.0').sort()).toEqual(['infection', 'tb-active']);
  });

  it('matches SNOMED exactly and drops hepatitis B immunity', () => {
    expect(concepts('396230008', SNOMED)).toEqual(['dx-dm']);
    expect(concepts('235871004', SNOMED)).toEqual(['hepatitis-b']);
    expect(concepts('271511000', SNOMED)).toEqual([]);
    expect(concepts('313234004', SNOMED)).toEqual([]);
  });
});

describe('ValueSetIndex memo', () => {
  it('remembers at most MEMO_LIMIT answers, however many different codes and systems arrive', () => {
    const ix = index();
    for (let i = 0; i < MEMO_LIMIT + 100; i++) ix.match(i % 2 === 0 ? ICD10CM : `urn:system:${i}`, `Z${i}`);
    expect(ix.memoSize).toBeGreaterThan(0);
    expect(ix.memoSize).toBeLessThanOrEqual(MEMO_LIMIT);
    // Object.prototype names are codes and systems like any other: they match nothing.
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(ix.match(name, name)).toEqual([]);
      expect(ix.match(ICD10CM, name)).toEqual([]);
    }
    expect(ix.match(ICD10CM, 'M3312')).toEqual(['vs:dm']);
  });
});
