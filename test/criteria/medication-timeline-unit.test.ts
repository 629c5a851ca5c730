// The shared medication timeline (src/criteria/common/medication-timeline.ts) on hand-built
// models: courses and the 60-day gap, "current at D" for spans, administrations and undated
// records, the dose walk (later-starting record wins, renewals are not changes), belimumab-iim's
// pulses (belimumab-iim/glucocorticoid-regimen.ts), and
// that it is built once per model.

import { describe, expect, it } from 'vitest';
import { doseHistory, doseStart, timelineOf, track } from '../../src/criteria/common/medication-timeline.js';
import { criterion as i8 } from '../../src/criteria/belimumab-iim/inc-stable-glucocorticoid.js';
import { criterion as i9 } from '../../src/criteria/belimumab-iim/inc-stable-immunosuppressant.js';
import { criterion as e8 } from '../../src/criteria/belimumab-iim/exc-ivig-or-pulse-steroids.js';
import { glucocorticoidRegimenOf } from '../../src/criteria/belimumab-iim/glucocorticoid-regimen.js';
import { D, med, model } from './helpers/model-builder.js';

const daily = (mg: number) => ({ dailyMg: mg, perAdministrationMg: mg });
const pred = (fields: Parameters<typeof med>[1]) =>
  med('prednisone', { resourceType: 'MedicationStatement', groups: ['glucocorticoid'], prednisoneFactor: 1, route: 'oral', ...fields });

describe('courses', () => {
  it('joins records at most 60 days apart and splits at 61 (courses.gapDays)', () => {
    const m = model({
      medications: [
        med('methotrexate', { start: '2026-01-01', end: '2026-03-01', resourceType: 'MedicationStatement' }),
        med('methotrexate', { start: '2026-04-30', end: '2026-05-30', resourceType: 'MedicationStatement' }),
        med('methotrexate', { start: '2026-07-30', end: '2026-08-30', resourceType: 'MedicationStatement' }),
      ],
    });
    expect(track(m, 'methotrexate').courses.map((c) => [c.start!.earliest, c.end!.latest])).toEqual([
      ['2026-01-01', '2026-05-30'],
      ['2026-07-30', '2026-08-30'],
    ]);
  });

  it('an administrations-only course is current up to 60 days after the last one', () => {
    const at = (day: string) => model({ medications: [med('immune-globulin', { groups: ['human-protein', 'ivig'], start: day })] });
    expect(track(at('2026-08-27'), 'ivig').current?.current).toBe('yes');
    expect(track(at('2026-08-26'), 'ivig').current).toBeUndefined();
  });

  it('an active record with no dates is current with an unknown start', () => {
    const m = model({ medications: [med('azathioprine', { resourceType: 'MedicationStatement', status: 'active', undated: true, ongoing: true, end: D })] });
    const c = track(m, 'azathioprine').current!;
    expect(c.current).toBe('yes');
    expect(c.start).toBeUndefined();
    expect(i9.evaluate(m).result).toBe('unknown');
  });

  // Records starting after D never reach the model (known-at.ts; test/cases rows hold that).
  it('leaves out records that do not count', () => {
    const m = model({
      medications: [
        med('methotrexate', { start: '2026-10-01', resourceType: 'MedicationStatement', status: 'not-taken' }),
      ],
    });
    expect(track(m, 'methotrexate').records).toEqual([]);
  });

  it('is built once per model object and shared', () => {
    const m = model({ medications: [pred({ start: '2026-01-01', ongoing: true, status: 'active', dose: daily(10) })] });
    expect(timelineOf(m)).toBe(timelineOf(m));
    expect(timelineOf(model())).not.toBe(timelineOf(model()));
  });
});

describe('dose walk', () => {
  it('the later-starting record applies where records overlap; a same-dose renewal is no change', () => {
    const m = model({
      medications: [
        pred({ start: '2026-01-01', end: '2026-12-31', dose: daily(20) }),
        pred({ start: '2026-05-01', end: '2026-08-01', dose: daily(10) }),
        pred({ start: '2026-07-15', ongoing: true, status: 'active', dose: daily(10) }),
      ],
    });
    const s = doseStart(doseHistory([track(m, 'prednisone')], D, (r) => r.dose.dailyMg), D);
    expect(s.value).toEqual({ mg: 10, unknown: [] });
    expect(s.began).toBe('2026-05-01');
  });

  it('a record of unknown dose makes a change uncertain, not certain', () => {
    const m = model({
      medications: [
        pred({ start: '2026-01-01', end: '2026-10-19', dose: daily(10) }),
        pred({ start: '2026-10-20', ongoing: true, status: 'active', dose: { problem: 'no dosage' } }),
      ],
    });
    const out = i8.evaluate(m);
    expect(out.result).toBe('unknown');
    expect(out.reason).toContain('no dosage');
  });

  it('I8 sums current glucocorticoids in prednisone-equivalent', () => {
    const m = model({
      medications: [
        pred({ start: '2026-01-01', ongoing: true, status: 'active', dose: daily(7.5) }),
        med('dexamethasone', { resourceType: 'MedicationStatement', groups: ['glucocorticoid'], prednisoneFactor: 6.67, start: '2026-01-01', ongoing: true, status: 'active', end: D, dose: daily(1.5) }),
      ],
    });
    expect(i8.evaluate(m)).toMatchObject({ result: 'not-met' });
  });
});

describe('pulses', () => {
  it('IV ≥ 250 mg methylprednisolone-equivalent in a day is a pulse, and not background (I8)', () => {
    const pulse = med('methylprednisolone', { groups: ['glucocorticoid'], prednisoneFactor: 1.25, route: 'iv', start: '2026-10-20', dose: { perAdministrationMg: 500, dailyMg: 500 } });
    const m = model({ medications: [pulse] });
    expect(glucocorticoidRegimenOf(m).pulseDays).toEqual([{ day: '2026-10-20', mgMethylprednisolone: 500, refs: [pulse.ref] }]);
    expect(i8.evaluate(m).result).toBe('met');
    expect(e8.evaluate(m)).toMatchObject({ result: 'met', clearsOn: '2026-12-21' });
  });

  it('a parenteral dose with the route unknown is not a pulse (codes.md §3.1)', () => {
    const m = model({ medications: [med('methylprednisolone', { groups: ['glucocorticoid'], prednisoneFactor: 1.25, route: 'parenteral', start: '2026-10-20', dose: daily(1000) })] });
    expect(glucocorticoidRegimenOf(m).pulseDays).toEqual([]);
    expect(e8.evaluate(m).result).toBe('not-met');
  });

  it('hydrocortisone 1000 mg IV (= 200 mg methylprednisolone) is not a pulse', () => {
    const m = model({ medications: [med('hydrocortisone', { groups: ['glucocorticoid'], prednisoneFactor: 0.25, route: 'iv', start: '2026-10-20', dose: daily(1000) })] });
    expect(e8.evaluate(m).result).toBe('not-met');
  });
});
