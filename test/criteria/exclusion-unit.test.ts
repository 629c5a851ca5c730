// E2–E4, E6, E7, E9, E12, E14–E16, E18, E19 and the manual criteria on hand-built models:
// window edges on both sides, clearsOn, comparators and records that do not count.

import { describe, expect, it } from 'vitest';
import { criterion as excAnaphylaxis } from '../../src/criteria/belimumab-iim/exc-anaphylaxis.js';
import { criterion as excAih } from '../../src/criteria/belimumab-iim/exc-autoimmune-hepatitis.js';
import { criterion as excCyclo } from '../../src/criteria/belimumab-iim/exc-cyclophosphamide-180d.js';
import { criterion as excHep } from '../../src/criteria/belimumab-iim/exc-hepatitis-b-c.js';
import { criterion as excHiv } from '../../src/criteria/belimumab-iim/exc-hiv.js';
import { criterion as excIg } from '../../src/criteria/belimumab-iim/exc-immunoglobulin-deficiency.js';
import { criterion as excMalignancy } from '../../src/criteria/belimumab-iim/exc-malignancy-5y.js';
import { criterion as excPid } from '../../src/criteria/belimumab-iim/exc-primary-immunodeficiency.js';
import { criterion as excBelimumab } from '../../src/criteria/belimumab-iim/exc-prior-belimumab.js';
import { criterion as excRituximab } from '../../src/criteria/belimumab-iim/exc-rituximab-365d.js';
import { criterion as excSubstance } from '../../src/criteria/belimumab-iim/exc-substance-abuse.js';
import { criterion as excSuicide } from '../../src/criteria/belimumab-iim/exc-suicide-risk.js';
import { CRITERIA } from '../../src/criteria/belimumab-iim/index.js';
import { D, allergy, dx, lab, med, model } from './helpers/model-builder.js';

describe('exc-malignancy-5y (E2)', () => {
  it('active malignancy: met without clearsOn', () => {
    const out = excMalignancy.evaluate(model({ diagnoses: [dx('malignancy', { onset: '2001-01-01' })] }));
    expect(out.result).toBe('met');
    expect(out.clearsOn).toBeUndefined();
  });
  it('resolved: onset, recorded or abatement within 5 years decides; clearsOn follows the latest', () => {
    const inside = dx('malignancy', { clinicalStatus: 'resolved', onset: '2015-01-01', abatement: '2021-10-26' });
    const out = excMalignancy.evaluate(model({ diagnoses: [inside] }));
    expect(out).toMatchObject({ result: 'met', evidence: [inside.ref], clearsOn: '2026-10-27' });
    const outside = dx('malignancy', { clinicalStatus: 'resolved', onset: '2015-01-01', recorded: '2015-02-01', abatement: '2021-10-25' });
    expect(excMalignancy.evaluate(model({ diagnoses: [outside] }))).toMatchObject({ result: 'not-met', evidence: [outside.ref] });
  });
  it('a partial date straddling the window start is unknown with a reason', () => {
    const out = excMalignancy.evaluate(model({ diagnoses: [dx('malignancy', { clinicalStatus: 'remission', abatement: '2021-10' })] }));
    expect(out).toMatchObject({ result: 'unknown', manual: false });
    expect(out.reason).toMatch(/abatement 2021-10 may or may not lie within 5 years/);
    expect(out.missingData).toHaveLength(1);
  });
  it('not active and no dates: unknown', () => {
    expect(excMalignancy.evaluate(model({ diagnoses: [dx('malignancy', { clinicalStatus: 'inactive' })] })).result).toBe('unknown');
  });
  it('Z85 history is never active: only its onset decides', () => {
    const noOnset = dx('malignancy-history', { clinicalStatus: 'active', recorded: '2026-01-01' });
    const out = excMalignancy.evaluate(model({ diagnoses: [noOnset] }));
    expect(out.result).toBe('unknown');
    expect(out.reason).toMatch(/personal history/);
    expect(excMalignancy.evaluate(model({ diagnoses: [dx('malignancy-history', { onset: '2010' })] })).result).toBe('not-met');
    expect(excMalignancy.evaluate(model({ diagnoses: [dx('malignancy-history', { onset: '2023-05' })] }))).toMatchObject({ result: 'met', clearsOn: '2028-06-01' });
  });
  it('a met record wins over an unknown one; refuted ones do not count; empty is not-met', () => {
    const diagnoses = [dx('malignancy', { clinicalStatus: 'inactive' }), dx('malignancy', { onset: '2020-01-01' })];
    expect(excMalignancy.evaluate(model({ diagnoses })).result).toBe('met');
    expect(excMalignancy.evaluate(model({ diagnoses: [dx('malignancy', { verificationStatus: 'refuted' })] })).result).toBe('not-met');
    expect(excMalignancy.evaluate(model())).toMatchObject({ result: 'not-met', evidence: [] });
  });
});

describe('recorded conditions (E3, E15)', () => {
  it('met in any status; refuted does not count', () => {
    const pid = dx('primary-immunodeficiency', { clinicalStatus: 'resolved' });
    expect(excPid.evaluate(model({ diagnoses: [pid] }))).toMatchObject({ result: 'met', evidence: [pid.ref] });
    expect(excAih.evaluate(model({ diagnoses: [dx('autoimmune-hepatitis', { verificationStatus: 'entered-in-error' })] })).result).toBe('not-met');
  });
});

describe('exc-immunoglobulin-deficiency (E4)', () => {
  const igg = (value: number, date = '2026-09-01', extra = {}) => lab('igg', { value, unit: 'mg/dL', valueText: `${value} mg/dL`, date, ...extra });
  const iga = (value: number, date = '2026-09-01', extra = {}) => lab('iga', { value, unit: 'mg/dL', valueText: `${value} mg/dL`, date, ...extra });
  it('IgG 399 is met with a coordinator-readable reason; 400 with IgA 10 is not-met', () => {
    const low = igg(399, '2026-10-02');
    const out = excIg.evaluate(model({ labs: [low] }));
    expect(out).toMatchObject({ result: 'met', evidence: [low.ref] });
    expect(out.reason).toBe('IgG 399 mg/dL on 2026-10-02 is below 400 mg/dL');
    expect(excIg.evaluate(model({ labs: [igg(400), iga(10)] })).result).toBe('not-met');
    expect(excIg.evaluate(model({ labs: [igg(1000), iga(9.9)] })).result).toBe('met');
  });
  it('one present and normal is not enough to rule out', () => {
    const out = excIg.evaluate(model({ labs: [igg(1000)] }));
    expect(out).toMatchObject({ result: 'unknown', manual: false });
    expect(out.missingData).toEqual([{ text: 'Immunoglobulin A (LOINC 2458-8): a result since 2025-10-26', query: 'Observation?patient=p1&code=http://loinc.org|2458-8' }]);
  });
  it('the latest value within 12 months is used: 12 months to the day counts, a day more is stale', () => {
    expect(excIg.evaluate(model({ labs: [igg(300, '2025-10-26'), iga(100, '2025-10-26')] })).result).toBe('met');
    const stale = excIg.evaluate(model({ labs: [igg(300, '2025-10-25'), iga(100)] }));
    expect(stale.result).toBe('unknown');
    expect(stale.reason).toContain('older than 12 months');
    expect(excIg.evaluate(model({ labs: [igg(300, '2026-01-01'), igg(900, '2026-06-01'), iga(100)] })).result).toBe('not-met');
  });
  it('a result after D is ignored', () => {
    expect(excIg.evaluate(model({ labs: [igg(900), igg(100, '2026-10-27'), iga(100)] })).result).toBe('not-met');
  });
  it('an unconvertible unit counts as missing with the reason', () => {
    const bad = lab('igg', { valueText: '7 IU/mL', valueProblem: 'unit IU/mL cannot be converted to mg/dL', date: '2026-09-01' });
    const out = excIg.evaluate(model({ labs: [bad, iga(100)] }));
    expect(out.result).toBe('unknown');
    expect(out.reason).toContain('cannot be converted');
  });
  it('comparators: <300 is below, <500 is uncertain, >400 is at or above', () => {
    expect(excIg.evaluate(model({ labs: [igg(300, undefined, { comparator: '<' })] })).result).toBe('met');
    expect(excIg.evaluate(model({ labs: [igg(500, undefined, { comparator: '<' }), iga(100)] })).result).toBe('unknown');
    expect(excIg.evaluate(model({ labs: [igg(400, undefined, { comparator: '>' }), iga(100)] })).result).toBe('not-met');
  });
  it('conflicting values on the latest day are missing', () => {
    expect(excIg.evaluate(model({ labs: [igg(300), igg(900), iga(100)] })).result).toBe('unknown');
  });
  it('a partial date straddling the window start counts as missing', () => {
    const out = excIg.evaluate(model({ labs: [igg(900, '2025-10'), iga(100)] }));
    expect(out.result).toBe('unknown');
    expect(out.reason).toContain('may or may not lie within 12 months');
  });
});

describe('exc-rituximab-365d (E6) and exc-cyclophosphamide-180d (E7)', () => {
  it('365 days before D is inside (clears the day after D), 366 is outside', () => {
    const edge = med('rituximab', { start: '2025-10-26' });
    expect(excRituximab.evaluate(model({ medications: [edge] }))).toMatchObject({ result: 'met', evidence: [edge.ref], clearsOn: '2026-10-27' });
    const out = med('rituximab', { start: '2025-10-25' });
    expect(excRituximab.evaluate(model({ medications: [out] }))).toMatchObject({ result: 'not-met', evidence: [out.ref] });
  });
  it('a span overlapping the window counts by its end; clearsOn is the last day + N + 1', () => {
    const span = med('rituximab', { resourceType: 'MedicationStatement', start: '2024-01-01', end: '2026-01-15' });
    expect(excRituximab.evaluate(model({ medications: [span] })).clearsOn).toBe('2027-01-16');
    const two = [med('cyclophosphamide', { start: '2026-06-01' }), med('cyclophosphamide', { start: '2026-08-01' })];
    // 2026-08-01 + 180 days = 2027-01-28, the window's last day; it clears the day after.
    expect(excCyclo.evaluate(model({ medications: two })).clearsOn).toBe('2027-01-29');
  });
  it('180-day edge for cyclophosphamide', () => {
    expect(excCyclo.evaluate(model({ medications: [med('cyclophosphamide', { start: '2026-04-29' })] })).result).toBe('met');
    expect(excCyclo.evaluate(model({ medications: [med('cyclophosphamide', { start: '2026-04-28' })] })).result).toBe('not-met');
  });
  it('ongoing or undated active records are met with no clearsOn', () => {
    const ongoing = excRituximab.evaluate(model({ medications: [med('rituximab', { status: 'active', ongoing: true, start: '2020-01-01' })] }));
    expect(ongoing.result).toBe('met');
    expect(ongoing.clearsOn).toBeUndefined();
    expect(excRituximab.evaluate(model({ medications: [med('rituximab', { status: 'active', undated: true })] })).clearsOn).toBeUndefined();
  });
  it('a partial date straddling the edge, or no date, is unknown', () => {
    expect(excRituximab.evaluate(model({ medications: [med('rituximab', { start: '2025-10' })] })).result).toBe('unknown');
    const undated = excRituximab.evaluate(model({ medications: [med('rituximab', {})] }));
    expect(undated).toMatchObject({ result: 'unknown', manual: false });
    expect(undated.missingData).toHaveLength(1);
  });
  it('records that do not count', () => {
    const medications = [
      med('rituximab', { resourceType: 'MedicationStatement', status: 'not-taken', start: '2026-10-01' }),
      med('rituximab', { resourceType: 'MedicationRequest', status: 'cancelled', start: '2026-10-01' }),
      med('rituximab', { resourceType: 'MedicationRequest', status: 'draft', start: '2026-10-01' }),
      med('rituximab', { status: 'entered-in-error', start: '2026-10-01' }),
      med('rituximab', { status: 'not-done', start: '2026-10-01' }),
    ];
    expect(excRituximab.evaluate(model({ medications }))).toMatchObject({ result: 'not-met', evidence: [] });
  });
  it('a future start is not exposure', () => {
    expect(excRituximab.evaluate(model({ medications: [med('rituximab', { start: '2026-11-01' })] })).result).toBe('not-met');
  });
});

describe('exc-prior-belimumab (E9) and exc-anaphylaxis (E12)', () => {
  it('any belimumab record or allergy is met', () => {
    expect(excBelimumab.evaluate(model({ medications: [med('belimumab', { resourceType: 'MedicationDispense', start: '2010-01-01' })] })).result).toBe('met');
    const a = allergy({ agents: ['belimumab'] });
    expect(excBelimumab.evaluate(model({ allergies: [a] }))).toMatchObject({ result: 'met', evidence: [a.ref] });
    expect(excBelimumab.evaluate(model({ allergies: [allergy({ agents: ['belimumab'], verificationStatus: 'refuted' })] })).result).toBe('not-met');
    expect(excBelimumab.evaluate(model()).result).toBe('not-met');
  });
  it('anaphylaxis to a listed class is met; other classes or no anaphylaxis are not', () => {
    for (const g of ['contrast-agent', 'monoclonal-antibody', 'human-protein']) {
      expect(excAnaphylaxis.evaluate(model({ allergies: [allergy({ groups: [g], anaphylaxis: true })] })).result).toBe('met');
    }
    expect(excAnaphylaxis.evaluate(model({ allergies: [allergy({ groups: ['anti-infective'], anaphylaxis: true })] })).result).toBe('not-met');
    expect(excAnaphylaxis.evaluate(model({ allergies: [allergy({ groups: ['contrast-agent'] })] })).result).toBe('not-met');
    expect(excAnaphylaxis.evaluate(model({ allergies: [allergy({ groups: ['contrast-agent'], anaphylaxis: true, verificationStatus: 'refuted' })] })).result).toBe('not-met');
  });
});

describe('exc-hiv (E14)', () => {
  it('condition or any positive test: met; negative: not-met; conflicting: unknown', () => {
    expect(excHiv.evaluate(model({ diagnoses: [dx('hiv', { clinicalStatus: 'inactive' })] })).result).toBe('met');
    expect(excHiv.evaluate(model({ labs: [lab('hiv-test', { positivity: 'negative', date: '2026-01-01' }), lab('hiv-test', { positivity: 'positive', date: '2010-01-01' })] })).result).toBe('met');
    expect(excHiv.evaluate(model({ labs: [lab('hiv-test', { positivity: 'negative' })] })).result).toBe('not-met');
    expect(excHiv.evaluate(model({ labs: [lab('hiv-test', { positivity: 'conflict' })] }))).toMatchObject({ result: 'unknown', manual: false });
    expect(excHiv.evaluate(model()).result).toBe('not-met');
  });
});

describe('exc-hepatitis-b-c (E16)', () => {
  const q = (test: string, positivity: 'positive' | 'negative', date = '2025-08-16') => lab(test, { positivity, date });
  it('all negative: not-met', () => {
    const labs = [q('hbsag', 'negative'), q('hbcab', 'negative'), q('hcv-ab', 'negative')];
    const out = excHep.evaluate(model({ labs }));
    expect(out).toMatchObject({ result: 'not-met' });
    expect(out.evidence).toHaveLength(3);
  });
  it('the latest result decides: an older positive HBsAg followed by a negative one', () => {
    const labs = [q('hbsag', 'positive', '2020-01-01'), q('hbsag', 'negative'), q('hbcab', 'negative'), q('hcv-ab', 'negative')];
    expect(excHep.evaluate(model({ labs })).result).toBe('not-met');
    const flipped = [q('hbsag', 'negative', '2020-01-01'), q('hbsag', 'positive'), q('hbcab', 'negative'), q('hcv-ab', 'negative')];
    expect(excHep.evaluate(model({ labs: flipped })).result).toBe('met');
  });
  it('HBcAb positive, or a hepatitis B condition in any status: met', () => {
    expect(excHep.evaluate(model({ labs: [q('hbcab', 'positive')] })).result).toBe('met');
    expect(excHep.evaluate(model({ diagnoses: [dx('hepatitis-b', { clinicalStatus: 'resolved' })] })).result).toBe('met');
  });
  it('HCV: antibody positive and RNA detectable is met; RNA not detected clears it; RNA missing is unknown', () => {
    const hbv = [q('hbsag', 'negative'), q('hbcab', 'negative')];
    expect(excHep.evaluate(model({ labs: [...hbv, q('hcv-ab', 'positive'), q('hcv-rna', 'positive')] })).result).toBe('met');
    expect(excHep.evaluate(model({ labs: [...hbv, q('hcv-ab', 'positive'), q('hcv-rna', 'negative')] })).result).toBe('not-met');
    const open = excHep.evaluate(model({ labs: [...hbv, q('hcv-ab', 'positive')] }));
    expect(open).toMatchObject({ result: 'unknown', manual: false });
    expect(open.missingData.map((m) => m.query)).toEqual(['Observation?patient=p1&code=http://loinc.org|11011-4']);
  });
  it('chronic hepatitis C counts only when active', () => {
    expect(excHep.evaluate(model({ diagnoses: [dx('hepatitis-c-chronic')] })).result).toBe('met');
    expect(excHep.evaluate(model({ diagnoses: [dx('hepatitis-c-chronic', { clinicalStatus: 'resolved' })] })).result).toBe('unknown');
  });
  it('empty record: unknown naming HBsAg, HBcAb and HCV antibody with queries', () => {
    const out = excHep.evaluate(model());
    expect(out.result).toBe('unknown');
    expect(out.missingData.map((m) => m.query)).toEqual([
      'Observation?patient=p1&code=http://loinc.org|5196-1',
      'Observation?patient=p1&code=http://loinc.org|16933-4,http://loinc.org|13952-7',
      'Observation?patient=p1&code=http://loinc.org|16128-1',
    ]);
  });
});

describe('exc-substance-abuse (E18)', () => {
  it('364 days: the edge day is in, a day more is out', () => {
    const edge = dx('substance-abuse', { clinicalStatus: 'resolved', abatement: '2025-10-27' });
    expect(excSubstance.evaluate(model({ diagnoses: [edge] }))).toMatchObject({ result: 'met', clearsOn: '2026-10-27' });
    expect(excSubstance.evaluate(model({ diagnoses: [dx('substance-abuse', { clinicalStatus: 'resolved', abatement: '2025-10-26' })] })).result).toBe('not-met');
  });
  it('active: met; not active with no dates: unknown', () => {
    expect(excSubstance.evaluate(model({ diagnoses: [dx('substance-abuse')] })).result).toBe('met');
    expect(excSubstance.evaluate(model({ diagnoses: [dx('substance-abuse', { clinicalStatus: 'remission' })] })).result).toBe('unknown');
    expect(excSubstance.evaluate(model()).result).toBe('not-met');
  });
});

describe('exc-suicide-risk (E19)', () => {
  it('behaviour within 6 months, ideation within 2 months: met with clearsOn', () => {
    const b = dx('suicidal-behaviour', { clinicalStatus: 'resolved', onset: '2026-04-26' });
    expect(excSuicide.evaluate(model({ diagnoses: [b] }))).toMatchObject({ result: 'met', clearsOn: '2026-10-27' });
    const i = dx('suicidal-ideation', { clinicalStatus: 'resolved', onset: '2026-08-26' });
    expect(excSuicide.evaluate(model({ diagnoses: [i] }))).toMatchObject({ result: 'met', clearsOn: '2026-10-27' });
  });
  it('just outside each window: unknown, manual', () => {
    const diagnoses = [
      dx('suicidal-behaviour', { clinicalStatus: 'resolved', onset: '2026-04-25' }),
      dx('suicidal-ideation', { clinicalStatus: 'resolved', onset: '2026-08-25' }),
    ];
    const out = excSuicide.evaluate(model({ diagnoses }));
    expect(out).toMatchObject({ result: 'unknown', manual: true });
    expect(out.evidence).toHaveLength(2);
  });
  it('ideation 3 months ago is outside its 2-month window though inside 6 months', () => {
    expect(excSuicide.evaluate(model({ diagnoses: [dx('suicidal-ideation', { clinicalStatus: 'inactive', recorded: '2026-07-26' })] })).result).toBe('unknown');
  });
  it('active ideation: met, no clearsOn; empty: unknown manual', () => {
    const out = excSuicide.evaluate(model({ diagnoses: [dx('suicidal-ideation')] }));
    expect(out.result).toBe('met');
    expect(out.clearsOn).toBeUndefined();
    expect(excSuicide.evaluate(model())).toMatchObject({ result: 'unknown', manual: true });
  });
});

describe('every criterion on an empty record', () => {
  it('decides closed criteria, leaves open ones unknown with missing data, manual ones manual', () => {
    const m = model({ patient: { ref: 'Patient/p1', id: 'p1', deceased: false } });
    for (const c of CRITERIA) {
      const out = c.evaluate(m);
      if (out.result === 'unknown' && !out.manual) expect(out.missingData.length, c.id).toBeGreaterThan(0);
      if (out.result !== 'unknown') expect(out.manual, c.id).toBe(false);
      expect(out.reason.length, c.id).toBeGreaterThan(0);
    }
    expect(D).toBe(m.asOf);
  });
});

describe('clearsOn with a straddling record beside an inside one', () => {
  it('waits until the straddling record is surely out too', () => {
    const inside = med('rituximab', { start: '2025-10-28' });
    expect(excRituximab.evaluate(model({ medications: [inside] })).clearsOn).toBe('2026-10-29');
    // Ends some day in October 2025: may or may not reach the window start (2025-10-26).
    const straddling = med('rituximab', { resourceType: 'MedicationStatement', start: '2025-01-01', end: '2025-10' });
    expect(excRituximab.evaluate(model({ medications: [straddling] })).result).toBe('unknown');
    expect(excRituximab.evaluate(model({ medications: [inside, straddling] })).clearsOn).toBe('2026-11-01');
  });
});
