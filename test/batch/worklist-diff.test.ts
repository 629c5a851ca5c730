// The morning worklist: what changed since the previous complete run, with the flipped criteria.

import { describe, expect, it } from 'vitest';
import { worklistCsv, worklistDiff } from '../../src/batch/worklist-diff.js';
import { attritionFunnel } from '../../src/batch/attrition-funnel.js';
import type { RunPatientRow } from '../../src/storage/run-store.js';

const ORDER = ['inc-age', 'inc-diagnosis', 'exc-rituximab-365d'];

function row(patient: string, status: string, results: Record<string, string>, extra: Partial<RunPatientRow> = {}): RunPatientRow {
  return { patientRef: `Patient/${patient}`, subjectId: `rs-${patient}`, status, failing: [], results, eligibleFrom: undefined, ...extra };
}

describe('worklistDiff', () => {
  const before = [
    row('a', 'potential-candidate', { 'inc-age': 'met', 'inc-diagnosis': 'met', 'exc-rituximab-365d': 'not-met' }),
    row('b', 'candidate', { 'inc-age': 'met', 'inc-diagnosis': 'met', 'exc-rituximab-365d': 'not-met' }),
    row('c', 'ineligible', { 'inc-age': 'met', 'inc-diagnosis': 'met', 'exc-rituximab-365d': 'met' }),
  ];
  const now = [
    row('a', 'candidate', { 'inc-age': 'met', 'inc-diagnosis': 'met', 'exc-rituximab-365d': 'not-met' }),
    row('b', 'ineligible', { 'inc-age': 'met', 'inc-diagnosis': 'met', 'exc-rituximab-365d': 'met' }, { eligibleFrom: '2027-03-01' }),
    row('c', 'ineligible', { 'inc-age': 'met', 'inc-diagnosis': 'met', 'exc-rituximab-365d': 'met' }, { eligibleFrom: '2026-11-10' }),
    row('d', 'potential-candidate', { 'inc-age': 'met', 'inc-diagnosis': 'met', 'exc-rituximab-365d': 'not-met' }),
    row('e', 'ineligible', { 'inc-age': 'met', 'inc-diagnosis': 'not-met', 'exc-rituximab-365d': 'not-met' }, { subjectId: undefined }),
  ];

  it('lists new candidates, new potential candidates, the newly ineligible and windows clearing this month', () => {
    const rows = worklistDiff(now, before, ORDER, '2026-10-26');
    expect(rows.map((r) => [r.change, r.patient, r.previousStatus])).toEqual([
      ['new-candidate', 'Patient/a', 'potential-candidate'],
      ['new-potential-candidate', 'Patient/d', undefined],
      ['became-ineligible', 'Patient/b', 'candidate'],
      ['clears-window', 'Patient/c', 'ineligible'],
    ]);
    expect(rows[2]!.flipped).toEqual([{ criterion: 'exc-rituximab-365d', from: 'not-met', to: 'met' }]);
    expect(worklistCsv(rows).split('\r\n')[3]).toBe(
      'became-ineligible,Patient/b,rs-b,ineligible,candidate,2027-03-01,exc-rituximab-365d:not-met>met',
    );
  });

  it('with no previous run, everyone listed is new', () => {
    expect(worklistDiff(now, undefined, ORDER, '2026-10-26').map((r) => r.change)).toEqual([
      'new-candidate',
      'new-potential-candidate',
      'clears-window',
    ]);
  });
});

describe('attritionFunnel', () => {
  it('drops each patient at its first failing criterion; the unread drop at the entry criterion (inc-diagnosis)', () => {
    const funnel = attritionFunnel({
      studyId: 's',
      asOf: '2026-10-26',
      criteria: ORDER.map((id) => ({ id, type: id.startsWith('inc') ? 'inclusion' : 'exclusion' })),
      entry: 'inc-diagnosis',
      population: 100,
      firstFailing: ['inc-age', undefined, undefined, 'exc-rituximab-365d', 'inc-diagnosis'],
      screened: 5,
      notScreened: 1,
    });
    expect(funnel.steps.map((s) => [s.criterion, s.remaining, s.dropped])).toEqual([
      ['inc-age', 98, 1],
      ['inc-diagnosis', 3, 95],
      ['exc-rituximab-365d', 2, 1],
    ]);
    expect(funnel.final).toBe(2);
  });

  it("drops the unread at the study's own entry criterion, whatever its id", () => {
    const funnel = attritionFunnel({
      studyId: 's',
      asOf: '2026-10-26',
      criteria: [
        { id: 'inc-age', type: 'inclusion' },
        { id: 'inc-type2-diabetes', type: 'inclusion' },
        { id: 'exc-type1-diabetes', type: 'exclusion' },
      ],
      entry: 'inc-type2-diabetes',
      population: 10,
      firstFailing: ['exc-type1-diabetes', undefined],
      screened: 2,
      notScreened: 0,
    });
    expect(funnel.steps.map((s) => [s.criterion, s.remaining, s.dropped])).toEqual([
      ['inc-age', 10, 0],
      ['inc-type2-diabetes', 2, 8],
      ['exc-type1-diabetes', 1, 1],
    ]);
  });
});
