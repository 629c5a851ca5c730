// Kit blocks on the patient, conditions, procedures, coded results, family history and manual:
// both sides of every limit and window edge, records that do not count, unknown and missing paths.

import { describe, expect, it } from 'vitest';
import { age } from '../../../src/criteria/kit/blocks/age.js';
import { condition, checkCondition } from '../../../src/criteria/kit/blocks/condition-in-value-set.js';
import { familyHistory, V3_ROLE_CODE } from '../../../src/criteria/kit/blocks/family-history.js';
import { latestCodedValue, type LatestCodedValueParams } from '../../../src/criteria/kit/blocks/latest-coded-value.js';
import { manual } from '../../../src/criteria/kit/blocks/manual.js';
import { patientAlive } from '../../../src/criteria/kit/blocks/patient-alive.js';
import { procedure } from '../../../src/criteria/kit/blocks/procedure-in-value-set.js';
import { exactDay } from '../../../src/fhir/dates.js';
import type { EligibilityModel, FamilyHistoryRecord, LabResult, PatientInfo } from '../../../src/mapping/model.js';
import { day, dx, lab, model, procedure as proc } from '../helpers/model-builder.js';

const patient = (fields: Partial<PatientInfo>): PatientInfo => ({ ref: 'Patient/p1', id: 'p1', deceased: false, ...fields });

describe('age (D 2026-10-26)', () => {
  const at = (birth: string) => model({ patient: patient({ gender: 'female', birthDate: day(birth) }) });
  it('both sides of the 18th birthday', () => {
    expect(age(at('2008-10-26'), { atLeast: 18 }).result).toBe('met');
    expect(age(at('2008-10-27'), { atLeast: 18 }).result).toBe('not-met');
  });
  it('a band: both edges of [18, 75]', () => {
    expect(age(at('1951-10-27'), { atLeast: 18, atMost: 74 }).result).toBe('met');
    expect(age(at('1951-10-26'), { atLeast: 18, atMost: 74 }).result).toBe('not-met');
  });
  it('a partial birth date across the birthday is unknown; one that cannot cross it decides', () => {
    expect(age(at('2008'), { atLeast: 18 }).result).toBe('unknown');
    expect(age(at('2008-09'), { atLeast: 18 }).result).toBe('met');
  });
  it('no birth date: unknown, open, asking for the Patient', () => {
    const out = age(model({ patient: patient({}) }), { atLeast: 18 });
    expect([out.result, out.manual]).toEqual(['unknown', false]);
    expect(out.missingData[0]!.query).toBe('Patient?_id=p1');
  });
});

describe('patient-alive and manual', () => {
  it('a deceased patient is not-met, with the date; others met', () => {
    const dead = patientAlive(model({ patient: patient({ deceased: true, deceasedDate: day('2026-09-01') }) }), {});
    expect(dead.result).toBe('not-met');
    expect(dead.reason).toContain('2026-09-01');
    expect(patientAlive(model(), {}).result).toBe('met');
  });
  it('manual is unknown, manual, with its reason', () => {
    expect(manual(model(), { reason: 'consent is confirmed in person' })).toMatchObject({ result: 'unknown', manual: true, reason: 'consent is confirmed in person' });
  });
});

describe('condition in a value set', () => {
  const any = { valueSets: ['dx-t2dm'], name: 'type 2 diabetes', when: 'any-time' as const };
  it('any time: recorded in any clinical status is met; none is not-met (closed)', () => {
    expect(condition(model({ diagnoses: [dx('dx-t2dm', { clinicalStatus: 'resolved' })] }), any).result).toBe('met');
    expect(condition(model({ diagnoses: [dx('dx-other')] }), any).result).toBe('not-met');
  });
  it('records that do not count are named: refuted, entered in error, dated after D', () => {
    const out = condition(model({ diagnoses: [dx('dx-t2dm', { verificationStatus: 'refuted' }), dx('dx-t2dm', { onset: '2026-10-27' })] }), any);
    expect(out.result).toBe('not-met');
    expect(out.reason).toContain('verification refuted');
    expect(out.reason).toContain('dated after 2026-10-26');
    expect(condition(model({ diagnoses: [dx('dx-t2dm', { onset: '2026-10-26' })] }), any).result).toBe('met');
  });
  it('active: abated on or before D is not active; abated after D still is', () => {
    const p = { valueSets: ['dx-hf'], when: 'active' as const };
    expect(condition(model({ diagnoses: [dx('dx-hf', { abatement: '2026-10-26' })] }), p).result).toBe('not-met');
    expect(condition(model({ diagnoses: [dx('dx-hf', { abatement: '2026-10-27', abated: false })] }), p).result).toBe('met');
    expect(condition(model({ diagnoses: [dx('dx-hf', { clinicalStatus: 'inactive' })] }), p).result).toBe('not-met');
  });
  const within60 = { valueSets: ['dx-mi'], name: 'myocardial infarction', when: 'within' as const, within: { days: 60 } };
  it('within 60 days by onset: the edge D − 60 counts with clearsOn 61 days later; one day earlier does not', () => {
    const inside = condition(model({ diagnoses: [dx('dx-mi', { onset: '2026-08-27' })] }), within60);
    expect(inside.result).toBe('met');
    expect(inside.clearsOn).toBe('2026-10-27');
    expect(condition(model({ diagnoses: [dx('dx-mi', { onset: '2026-08-26' })] }), within60).result).toBe('not-met');
  });
  it('onset else recorded: a recorded date counts only when there is no onset', () => {
    expect(condition(model({ diagnoses: [dx('dx-mi', { recorded: '2026-10-01' })] }), within60).result).toBe('met');
    expect(condition(model({ diagnoses: [dx('dx-mi', { onset: '2025-01-01', recorded: '2026-10-01' })] }), within60).result).toBe('not-met');
    expect(condition(model({ diagnoses: [dx('dx-mi', { onset: '2025-01-01', recorded: '2026-10-01' })] }), { ...within60, dates: 'any' as const }).result).toBe('met');
  });
  it('an active condition counts only with orActive', () => {
    const old = [dx('dx-mi', { onset: '2020-01-01' })];
    expect(condition(model({ diagnoses: old }), within60).result).toBe('not-met');
    const out = condition(model({ diagnoses: old }), { ...within60, orActive: true });
    expect(out.result).toBe('met');
    expect(out.clearsOn).toBeUndefined();
  });
  it('no date at all, or a partial date across the window start: unknown (open) with the record\'s query', () => {
    const undated = condition(model({ diagnoses: [dx('dx-mi')] }), within60);
    expect([undated.result, undated.manual]).toEqual(['unknown', false]);
    expect(undated.missingData[0]!.query).toMatch(/^Condition\?_id=/);
    expect(condition(model({ diagnoses: [dx('dx-mi', { onset: '2026-08' })] }), within60).result).toBe('unknown');
  });
  it('checkCondition names a window missing or misplaced', () => {
    expect(checkCondition({ valueSets: ['x'], when: 'within' })).toContain('needs');
    expect(checkCondition({ valueSets: ['x'], when: 'active', within: { days: 1 } })).toContain('apply only');
    expect(checkCondition(within60)).toBeUndefined();
  });
});

describe('procedure in a value set', () => {
  const p = { valueSets: ['px-dialysis'], name: 'dialysis', within: { days: 90 } };
  it('both sides of the window start, with clearsOn', () => {
    const edge = procedure(model({ procedures: [proc('px-dialysis', { start: '2026-07-28' })] }), p);
    expect(edge.result).toBe('met');
    expect(edge.clearsOn).toBe('2026-10-27');
    expect(procedure(model({ procedures: [proc('px-dialysis', { start: '2026-07-27' })] }), p).result).toBe('not-met');
  });
  it('not done, or after D, does not count; undated is unknown within a window and counts at any time', () => {
    expect(procedure(model({ procedures: [proc('px-dialysis', { start: '2026-10-01', status: 'not-done' })] }), p).result).toBe('not-met');
    expect(procedure(model({ procedures: [proc('px-dialysis', { start: '2026-10-27' })] }), p).result).toBe('not-met');
    expect(procedure(model({ procedures: [proc('px-dialysis')] }), p).result).toBe('unknown');
    expect(procedure(model({ procedures: [proc('px-dialysis')] }), { valueSets: ['px-dialysis'] }).result).toBe('met');
    expect(procedure(model(), { valueSets: ['px-dialysis'] }).result).toBe('not-met');
  });
});

describe('latest coded value (NYHA class within 12 months)', () => {
  const nyha = (concept: string, date: string): LabResult => ({ ...lab('nyha', { date, valueText: concept }), valueConcepts: [concept] });
  const p: LatestCodedValueParams = { tests: ['nyha'], fromConditions: true, within: { months: 12 }, metWhen: ['nyha-4'], notMetWhen: ['nyha-1', 'nyha-2', 'nyha-3'], whenMissing: 'manual' };
  it('class IV is met, I–III not-met; the latest decides', () => {
    expect(latestCodedValue(model({ labs: [nyha('nyha-4', '2026-01-01')] }), p).result).toBe('met');
    expect(latestCodedValue(model({ labs: [nyha('nyha-3', '2026-01-01')] }), p).result).toBe('not-met');
    expect(latestCodedValue(model({ labs: [nyha('nyha-4', '2026-01-01'), nyha('nyha-2', '2026-06-01')] }), p).result).toBe('not-met');
  });
  it('the 12-month edge: D − 12 months decides, one day older decides nothing (whenMissing)', () => {
    expect(latestCodedValue(model({ labs: [nyha('nyha-4', '2025-10-26')] }), p).result).toBe('met');
    const old = latestCodedValue(model({ labs: [nyha('nyha-4', '2025-10-25')] }), p);
    expect([old.result, old.manual]).toEqual(['unknown', true]);
  });
  it('a Condition coding the class counts, dated by onset else recorded', () => {
    expect(latestCodedValue(model({ diagnoses: [dx('nyha-4', { recorded: '2026-05-01' })] }), p).result).toBe('met');
    expect(latestCodedValue(model({ diagnoses: [dx('nyha-4', { onset: '2025-01-01', recorded: '2026-05-01' })] }), p).result).toBe('unknown');
  });
  it('an unrecognised latest value counts as missing; same-day disagreement is open', () => {
    const unknownValue = latestCodedValue(model({ labs: [{ ...lab('nyha', { date: '2026-05-01' }), valueConcepts: [] } ] }), { ...p, whenMissing: 'open' });
    expect([unknownValue.result, unknownValue.manual]).toEqual(['unknown', false]);
    const clash = latestCodedValue(model({ labs: [nyha('nyha-4', '2026-05-01'), nyha('nyha-2', '2026-05-01')] }), p);
    expect([clash.result, clash.manual]).toEqual(['unknown', false]);
  });
});

describe('family history by relationship', () => {
  const fh = (code: string | undefined, fields: Partial<FamilyHistoryRecord> = {}): FamilyHistoryRecord => ({
    ref: `FamilyMemberHistory/${code ?? 'none'}`,
    concepts: ['mtc-men2'],
    relationship: code ? [{ system: V3_ROLE_CODE, code }] : [],
    ...fields,
  });
  const withFh = (records: FamilyHistoryRecord[]): EligibilityModel => ({ ...model(), familyHistory: records }) as EligibilityModel;
  const p = { valueSets: ['mtc-men2'], relationships: ['MTH', 'FTH', 'SIS', 'BRO', 'SON', 'DAU'], name: 'MTC or MEN 2' };
  it('a first-degree relative is met; another or no coded relationship is manual; none is not-met', () => {
    expect(familyHistory(withFh([fh('MTH')]), p).result).toBe('met');
    expect(familyHistory(withFh([fh('GRMTH')]), p)).toMatchObject({ result: 'unknown', manual: true });
    expect(familyHistory(withFh([fh(undefined)]), p)).toMatchObject({ result: 'unknown', manual: true });
    expect(familyHistory(withFh([]), p).result).toBe('not-met');
    expect(familyHistory(model(), p).result).toBe('not-met');
  });
  it('the relationship must be in the named system; entered in error does not count', () => {
    const otherSystem = fh(undefined, { relationship: [{ system: 'http://example.org/rel', code: 'MTH' }] });
    expect(familyHistory(withFh([otherSystem]), p).manual).toBe(true);
    expect(familyHistory(withFh([fh('MTH', { status: 'entered-in-error' })]), p).result).toBe('not-met');
  });
  it('a family history dated after D does not count', () => {
    expect(familyHistory(withFh([fh('MTH', { date: exactDay('2026-10-27') })]), p).result).toBe('not-met');
  });
});
