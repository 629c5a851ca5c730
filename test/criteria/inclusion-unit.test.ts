// I1, I2, I3, I10, I11 on hand-built models: exact boundaries and shapes the case tables cannot
// pin down as cheaply (partial birth dates, titre comparators, deceased dates).

import { describe, expect, it } from 'vitest';
import { exactDay } from '../../src/fhir/dates.js';
import { criterion as incAge } from '../../src/criteria/belimumab-iim/inc-age.js';
import { criterion as incAutoantibody } from '../../src/criteria/belimumab-iim/inc-autoantibody.js';
import { criterion as incConsent } from '../../src/criteria/belimumab-iim/inc-consent.js';
import { criterion as incDiagnosis } from '../../src/criteria/belimumab-iim/inc-diagnosis.js';
import { criterion as incPregnancy } from '../../src/criteria/belimumab-iim/inc-pregnancy-contraception.js';
import { D, day, dx, lab, model, procedure } from './helpers/model-builder.js';

const patient = (fields: Record<string, unknown>) => ({ ref: 'Patient/p1', id: 'p1', deceased: false, ...fields });

describe('inc-age (I1)', () => {
  it('met on the 18th birthday, not-met the day before', () => {
    expect(incAge.evaluate(model({ patient: patient({ birthDate: exactDay('2008-10-26') }) })).result).toBe('met');
    const before = incAge.evaluate(model({ patient: patient({ birthDate: exactDay('2008-10-27') }) }));
    expect(before.result).toBe('not-met');
    expect(before.reason).toContain('17 years old');
    expect(before.evidence).toEqual(['Patient/p1']);
  });
  it('a 29 February birthday is reached on 28 February', () => {
    const m = model({ asOf: '2026-02-28', patient: patient({ birthDate: exactDay('2008-02-29') }) });
    expect(incAge.evaluate(m).result).toBe('met');
  });
  it('a partial birth date decides only when both ends agree', () => {
    expect(incAge.evaluate(model({ patient: patient({ birthDate: day('2008-09') }) })).result).toBe('met');
    expect(incAge.evaluate(model({ patient: patient({ birthDate: day('2008-11') }) })).result).toBe('not-met');
    const year = incAge.evaluate(model({ patient: patient({ birthDate: day('2008') }) }));
    expect(year).toMatchObject({ result: 'unknown', manual: false });
    expect(year.reason).toMatch(/17 or 18 years old/);
    expect(year.missingData[0]?.query).toBe('Patient?_id=p1');
  });
  it('no birth date: unknown, not manual, with missing data', () => {
    const out = incAge.evaluate(model({ patient: patient({}) }));
    expect(out).toMatchObject({ result: 'unknown', manual: false });
    expect(out.missingData).toHaveLength(1);
    const bad = incAge.evaluate(model({ patient: patient({ birthDateProblem: 'unreadable birthDate "1970-13-01"' }) }));
    expect(bad.reason).toContain('1970-13-01');
  });
});

describe('inc-diagnosis (I2)', () => {
  it('DM in any clinical status is met', () => {
    const out = incDiagnosis.evaluate(model({ diagnoses: [dx('dx-dm', { clinicalStatus: 'resolved' })] }));
    expect(out.result).toBe('met');
  });
  it('PM alone is unknown and manual; with a positive MSA it is met', () => {
    const pm = dx('dx-pm');
    const alone = incDiagnosis.evaluate(model({ diagnoses: [pm] }));
    expect(alone).toMatchObject({ result: 'unknown', manual: true, evidence: [pm.ref] });
    const jo1 = lab('msa-jo1', { positivity: 'positive', date: '2024-01-01' });
    const withMsa = incDiagnosis.evaluate(model({ diagnoses: [pm], labs: [jo1] }));
    expect(withMsa).toMatchObject({ result: 'met', evidence: [pm.ref, jo1.ref] });
  });
  it('a negative or conflicting MSA, or a positive non-MSA antibody, does not confirm PM', () => {
    const pm = dx('dx-iim-unspecified');
    const labs = [lab('msa-jo1', { positivity: 'negative' }), lab('msa-srp', { positivity: 'conflict' }), lab('ab-ssa', { positivity: 'positive' })];
    expect(incDiagnosis.evaluate(model({ diagnoses: [pm], labs })).result).toBe('unknown');
  });
  it('refuted, entered-in-error and differential diagnoses do not count; none → not-met', () => {
    const diagnoses = [dx('dx-dm', { verificationStatus: 'refuted' }), dx('dx-dm', { verificationStatus: 'differential' }), dx('dx-pm', { verificationStatus: 'entered-in-error' })];
    expect(incDiagnosis.evaluate(model({ diagnoses })).result).toBe('not-met');
    expect(incDiagnosis.evaluate(model()).result).toBe('not-met');
  });
});

describe('inc-autoantibody (I3)', () => {
  const titre = (denominator: number, comparator?: '<' | '>') => lab('ana-titre', { titre: comparator ? { denominator, comparator } : { denominator }, date: '2025-01-01' });
  const negatives = () => ['ab-rnp', 'ab-ssa', 'ab-ssb', 'msa-jo1', 'msa-mi2', 'msa-srp'].map((t) => lab(t, { positivity: 'negative', date: '2025-01-01' }));

  it('ANA 1:160 is met, 1:80 is not positive', () => {
    expect(incAutoantibody.evaluate(model({ labs: [titre(160)] })).result).toBe('met');
    expect(incAutoantibody.evaluate(model({ labs: [titre(80)] })).result).toBe('unknown');
  });
  it('reads titre comparators as doubling dilutions', () => {
    expect(incAutoantibody.evaluate(model({ labs: [titre(80, '>')] })).result).toBe('met');
    expect(incAutoantibody.evaluate(model({ labs: [titre(160, '<'), ...negatives()] })).result).toBe('not-met');
    expect(incAutoantibody.evaluate(model({ labs: [titre(320, '<'), ...negatives()] })).result).toBe('unknown');
    expect(incAutoantibody.evaluate(model({ labs: [titre(100), ...negatives()] })).result).toBe('unknown');
  });
  it('any positive antibody at any time is met', () => {
    for (const t of ['ab-rnp', 'ab-ssb', 'msa-sae', 'msa-tif1g']) {
      const l = lab(t, { positivity: 'positive', date: '2010-01-01' });
      expect(incAutoantibody.evaluate(model({ labs: [l] }))).toMatchObject({ result: 'met', evidence: [l.ref] });
    }
  });
  it('not-met needs ANA ≤ 1:80 (or a negative screen) and the whole negative panel', () => {
    const all = [titre(80), ...negatives()];
    expect(incAutoantibody.evaluate(model({ labs: all })).result).toBe('not-met');
    const screen = [lab('ana-screen', { positivity: 'negative' }), ...negatives()];
    expect(incAutoantibody.evaluate(model({ labs: screen })).result).toBe('not-met');
    const noSrp = [titre(80), ...negatives().filter((l) => l.test !== 'msa-srp')];
    const out = incAutoantibody.evaluate(model({ labs: noSrp }));
    expect(out).toMatchObject({ result: 'unknown', manual: false });
    expect(out.missingData.map((m) => m.text)).toEqual(['msa-srp antibody (local code msa-srp)']);
    expect(out.missingData[0]?.query).toBe('Observation?patient=p1&code=https://fhir-prescreen.org/CodeSystem/belimumab-iim|msa-srp');
  });
  it('a positive screen alone neither meets nor rules out; a conflicting result blocks a negative', () => {
    expect(incAutoantibody.evaluate(model({ labs: [lab('ana-screen', { positivity: 'positive' }), ...negatives()] })).result).toBe('unknown');
    const conflict = [titre(80), ...negatives(), lab('ab-rnp', { positivity: 'conflict', positivityReason: 'interpretation NEG, value positive' })];
    const out = incAutoantibody.evaluate(model({ labs: conflict }));
    expect(out.result).toBe('unknown');
    expect(out.reason).toContain('interpretation NEG, value positive');
  });
  it('empty record: unknown listing ANA and the six panel antibodies', () => {
    const out = incAutoantibody.evaluate(model());
    expect(out.result).toBe('unknown');
    expect(out.missingData).toHaveLength(7);
  });
});

describe('inc-consent (I10)', () => {
  it('alive: unknown, manual', () => {
    expect(incConsent.evaluate(model())).toMatchObject({ result: 'unknown', manual: true });
  });
  it('deceased on or before D: not-met with the date; after D: manual', () => {
    const dead = incConsent.evaluate(model({ patient: patient({ deceased: true, deceasedDate: exactDay(D) }) }));
    expect(dead).toMatchObject({ result: 'not-met', manual: false, evidence: ['Patient/p1'] });
    expect(dead.reason).toContain(D);
    const later = incConsent.evaluate(model({ patient: patient({ deceased: false, deceasedDate: exactDay('2026-10-27') }) }));
    expect(later).toMatchObject({ result: 'unknown', manual: true });
    const flag = incConsent.evaluate(model({ patient: patient({ deceased: true }) }));
    expect(flag.result).toBe('not-met');
  });
});

describe('inc-pregnancy-contraception (I11)', () => {
  it('male: met (does not apply)', () => {
    const out = incPregnancy.evaluate(model({ patient: patient({ gender: 'male' }) }));
    expect(out).toMatchObject({ result: 'met', manual: false });
    expect(out.reason).toMatch(/does not apply/);
  });
  it('age 55 exactly is not of childbearing potential; 54 is', () => {
    expect(incPregnancy.evaluate(model({ patient: patient({ gender: 'female', birthDate: exactDay('1971-10-26') }) })).result).toBe('met');
    expect(incPregnancy.evaluate(model({ patient: patient({ gender: 'female', birthDate: exactDay('1971-10-27') }) }))).toMatchObject({ result: 'unknown', manual: true });
  });
  it('other and absent genders read as female', () => {
    expect(incPregnancy.evaluate(model({ patient: patient({ gender: 'other', birthDate: exactDay('1990-01-01') }) })).result).toBe('unknown');
    expect(incPregnancy.evaluate(model({ patient: patient({ birthDate: exactDay('1950-01-01') }) })).result).toBe('met');
  });
  it('a partial birth date straddling 55 is childbearing potential', () => {
    const out = incPregnancy.evaluate(model({ patient: patient({ gender: 'female', birthDate: day('1971') }) }));
    expect(out).toMatchObject({ result: 'unknown', manual: true });
  });
  it('menopause, hysterectomy or bilateral oophorectomy as condition or procedure: met', () => {
    const young = patient({ gender: 'female', birthDate: exactDay('1990-01-01') });
    expect(incPregnancy.evaluate(model({ patient: young, diagnoses: [dx('menopause')] })).result).toBe('met');
    expect(incPregnancy.evaluate(model({ patient: young, procedures: [procedure('hysterectomy', { start: '2020-01-01' })] })).result).toBe('met');
    expect(incPregnancy.evaluate(model({ patient: young, procedures: [procedure('bilateral-oophorectomy', { status: 'not-done' })] })).result).toBe('unknown');
  });
  it('pregnant now: active pregnancy condition, or positive hCG within 30 days', () => {
    const young = patient({ gender: 'female', birthDate: exactDay('1990-01-01') });
    expect(incPregnancy.evaluate(model({ patient: young, diagnoses: [dx('pregnancy')] })).result).toBe('not-met');
    expect(incPregnancy.evaluate(model({ patient: young, diagnoses: [dx('pregnancy', { abatement: '2026-05-01' })] })).result).toBe('unknown');
    const hcg = (date: string) => lab('hcg', { positivity: 'positive', date });
    expect(incPregnancy.evaluate(model({ patient: young, labs: [hcg('2026-09-26')] })).result).toBe('not-met');
    expect(incPregnancy.evaluate(model({ patient: young, labs: [hcg('2026-09-25')] })).result).toBe('unknown');
    const quant = (value: number) => lab('hcg-quantitative', { value, unit: '[IU]/L', date: '2026-10-20' });
    expect(incPregnancy.evaluate(model({ patient: young, labs: [quant(5)] })).result).toBe('not-met');
    expect(incPregnancy.evaluate(model({ patient: young, labs: [quant(4.9)] })).result).toBe('unknown');
  });
  it('no birth date and no exemption: childbearing potential', () => {
    const out = incPregnancy.evaluate(model({ patient: patient({ gender: 'female' }) }));
    expect(out).toMatchObject({ result: 'unknown', manual: true });
    expect(out.reason).toContain('no birth date');
  });
});
