// Kit medication blocks (D 2026-10-26): a class current at D, begun at least N days before D,
// with a span in a window, two classes current together, and an intolerance to a class.

import { describe, expect, it } from 'vitest';
import { intolerance } from '../../../src/criteria/kit/blocks/intolerance.js';
import { medicationBegunBefore } from '../../../src/criteria/kit/blocks/medication-begun-before.js';
import { medicationCurrent } from '../../../src/criteria/kit/blocks/medication-current.js';
import { medicationWithin } from '../../../src/criteria/kit/blocks/medication-within.js';
import { checkMedicationsTogether, medicationsCurrentTogether } from '../../../src/criteria/kit/blocks/medications-current-together.js';
import type { MedicationRecord } from '../../../src/mapping/model.js';
import { allergy, D, med, model } from '../helpers/model-builder.js';

type Fields = Parameters<typeof med>[1];
const statement = (agent: string, group: string, fields: Fields = {}): MedicationRecord =>
  med(agent, { resourceType: 'MedicationStatement', status: 'active', groups: [group], ...fields });
const acei = (fields: Fields = {}) => statement('lisinopril', 'ace-inhibitor', fields);
const arb = (fields: Fields = {}) => statement('losartan', 'arb', fields);

describe('medication-current', () => {
  const p = { classes: ['ace-inhibitor'], name: 'an ACE inhibitor' };
  it('a span covering D is met; one ending the day before D is not', () => {
    expect(medicationCurrent(model({ medications: [acei({ start: '2026-01-01', end: '2026-10-26' })] }), p).result).toBe('met');
    expect(medicationCurrent(model({ medications: [acei({ start: '2026-01-01', end: '2026-10-25', status: 'completed' })] }), p).result).toBe('not-met');
  });
  it('an active record with no dates is current; one that does not count is not', () => {
    expect(medicationCurrent(model({ medications: [acei({ undated: true })] }), p).result).toBe('met');
    expect(medicationCurrent(model({ medications: [acei({ start: '2026-01-01', ongoing: true, status: 'not-taken' })] }), p).result).toBe('not-met');
  });
  it('a possibly-current record (an end of 2026-10 with D in October) is unknown, open, naming it', () => {
    const m = acei({ start: '2026-01-01', end: '2026-10', status: 'completed' });
    const out = medicationCurrent(model({ medications: [m] }), p);
    expect([out.result, out.manual]).toEqual(['unknown', false]);
    expect(out.evidence).toEqual([m.ref]);
  });
  it('a record of another class does not count; a class id may also be an agent', () => {
    expect(medicationCurrent(model({ medications: [arb({ start: '2026-01-01', ongoing: true })] }), p).result).toBe('not-met');
    expect(medicationCurrent(model({ medications: [arb({ start: '2026-01-01', ongoing: true })] }), { classes: ['losartan'] }).result).toBe('met');
  });
});

describe('medication-begun-before (28 days: D − 28 = 2026-09-28)', () => {
  const p = { classes: ['ace-inhibitor', 'arb'], atLeastDays: 28, name: 'an ACE inhibitor or ARB' };
  it('begun on D − 28 is met; begun the day after is not-met with clearsOn start + 28', () => {
    expect(medicationBegunBefore(model({ medications: [acei({ start: '2026-09-28', ongoing: true })] }), p).result).toBe('met');
    const recent = medicationBegunBefore(model({ medications: [acei({ start: '2026-09-29', ongoing: true })] }), p);
    expect(recent.result).toBe('not-met');
    expect(recent.clearsOn).toBe('2026-10-27');
  });
  it('every current course must be old enough: the latest recent start sets clearsOn', () => {
    const out = medicationBegunBefore(
      model({ medications: [acei({ start: '2025-01-01', ongoing: true }), arb({ start: '2026-10-06', ongoing: true })] }),
      p,
    );
    expect(out.result).toBe('not-met');
    expect(out.clearsOn).toBe('2026-11-03');
  });
  it('an unknown start (active with no dates) or a partial start across D − 28 is unknown, open', () => {
    expect(medicationBegunBefore(model({ medications: [acei({ undated: true })] }), p)).toMatchObject({ result: 'unknown', manual: false });
    expect(medicationBegunBefore(model({ medications: [acei({ start: '2026-09', ongoing: true })] }), p).result).toBe('unknown');
    expect(medicationBegunBefore(model({ medications: [acei({ start: '2026-08', ongoing: true })] }), p).result).toBe('met');
  });
  it('none current is not-met, with no clearsOn', () => {
    const out = medicationBegunBefore(model({ medications: [acei({ start: '2025-01-01', end: '2025-06-01', status: 'completed' })] }), p);
    expect(out.result).toBe('not-met');
    expect(out.clearsOn).toBeUndefined();
  });
});

describe('medication-within (30 days: D − 30 = 2026-09-26)', () => {
  const glp1 = (fields: Fields) => statement('semaglutide', 'glp1-agonist', { status: 'completed', ...fields });
  const p = { classes: ['glp1-agonist'], within: { days: 30 } };
  it('a span ending on D − 30 is met with clearsOn 31 days after it; the day before is not-met', () => {
    const edge = medicationWithin(model({ medications: [glp1({ start: '2026-01-01', end: '2026-09-26' })] }), p);
    expect(edge.result).toBe('met');
    expect(edge.clearsOn).toBe('2026-10-27');
    expect(medicationWithin(model({ medications: [glp1({ start: '2026-01-01', end: '2026-09-25' })] }), p).result).toBe('not-met');
  });
  it('ongoing or undated active: met with no clearsOn; a past record with no date: unknown', () => {
    expect(medicationWithin(model({ medications: [glp1({ start: '2026-01-01', ongoing: true, status: 'active' })] }), p).clearsOn).toBeUndefined();
    expect(medicationWithin(model({ medications: [glp1({ undated: true, status: 'active' })] }), p).result).toBe('met');
    expect(medicationWithin(model({ medications: [glp1({})] }), p).result).toBe('unknown');
  });
  it('a span starting after D is not known at D', () => {
    expect(medicationWithin(model({ medications: [glp1({ start: '2026-10-27', end: '2026-11-30' })] }), p).result).toBe('not-met');
  });
});

describe('medications-current-together (E10-style dual blockade)', () => {
  const p = { classes: ['ace-inhibitor', 'arb'] };
  it('both current is met; one is not-met; one possibly current with the other current is unknown', () => {
    expect(medicationsCurrentTogether(model({ medications: [acei({ start: '2026-01-01', ongoing: true }), arb({ start: '2026-01-01', ongoing: true })] }), p).result).toBe('met');
    expect(medicationsCurrentTogether(model({ medications: [acei({ start: '2026-01-01', ongoing: true })] }), p).result).toBe('not-met');
    expect(
      medicationsCurrentTogether(model({ medications: [acei({ start: '2026-01-01', ongoing: true }), arb({ start: '2026-01-01', end: '2026-10', status: 'completed' })] }), p).result,
    ).toBe('unknown');
  });
  it('names each class as the rule writes it, one name per class', () => {
    const named = { ...p, names: ['ACE inhibitor', 'angiotensin-receptor blocker'] };
    expect(medicationsCurrentTogether(model({ medications: [acei({ start: '2026-01-01', ongoing: true })] }), named).reason).toBe(`no angiotensin-receptor blocker current at ${D}`);
    expect(checkMedicationsTogether({ ...p, names: ['ACE inhibitor'] })).toBe('names gives 1 names for 2 classes');
  });
});

describe('intolerance to a class', () => {
  const p = { classes: ['ace-inhibitor'] };
  it('an allergy to the class or a record stopped for an adverse reaction is met; none is not-met', () => {
    expect(intolerance(model({ allergies: [allergy({ groups: ['ace-inhibitor'] })] }), p).result).toBe('met');
    expect(intolerance(model({ medications: [acei({ start: '2025-01-01', end: '2025-02-01', stoppedForAdverseReaction: true, status: 'stopped' })] }), p).result).toBe('met');
    expect(intolerance(model({ allergies: [allergy({ groups: ['arb'] })] }), p).result).toBe('not-met');
  });
  it('a refuted allergy, or one with onset after D, does not count', () => {
    expect(intolerance(model({ allergies: [allergy({ groups: ['ace-inhibitor'], verificationStatus: 'refuted' })] }), p).result).toBe('not-met');
    expect(intolerance(model({ allergies: [allergy({ groups: ['ace-inhibitor'], onset: { earliest: '2026-10-27', latest: '2026-10-27' } })] }), p).result).toBe('not-met');
  });
});
