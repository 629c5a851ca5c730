import { describe, expect, it } from 'vitest';
import { readScreenBody, reconcileAsOf, screeningDay } from '../../src/ingest/read-screen-body.js';
import { expectOutcome } from './outcome.js';
import { dmCandidateBundle } from './fixtures.js';

const bundle = { resourceType: 'Bundle', type: 'collection', entry: [] };

function parameters(...parameter: unknown[]) {
  return { resourceType: 'Parameters', parameter };
}

describe('readScreenBody: a bare Bundle', () => {
  it('takes the Bundle as it is (same object, no asOf)', () => {
    const body = dmCandidateBundle();
    const read = readScreenBody(body);
    expect(read.bundle).toBe(body);
    expect(read.asOf).toBeUndefined();
    expect(read.bundlePath).toBe('Bundle');
  });
});

describe('readScreenBody: Parameters', () => {
  it('takes the bundle parameter and the asOf valueDate', () => {
    const read = readScreenBody(parameters({ name: 'asOf', valueDate: '2026-10-26' }, { name: 'bundle', resource: bundle }));
    expect(read.bundle).toBe(bundle);
    expect(read.asOf).toBe('2026-10-26');
    expect(read.bundlePath).toBe('Parameters.parameter[1].resource');
    expect(read.asOfPath).toBe('Parameters.parameter[0].valueDate');
  });

  it('asOf is optional', () => {
    const read = readScreenBody(parameters({ name: 'bundle', resource: bundle }));
    expect(read.asOf).toBeUndefined();
    expect(read.bundlePath).toBe('Parameters.parameter[0].resource');
  });

  it.each([
    ['an unknown name', [{ name: 'bundle', resource: bundle }, { name: 'patient', valueString: 'x' }], 'Parameters.parameter[1]'],
    ['a repeated bundle', [{ name: 'bundle', resource: bundle }, { name: 'bundle', resource: bundle }], 'Parameters.parameter[1]'],
    ['a repeated asOf', [{ name: 'asOf', valueDate: '2026-01-01' }, { name: 'asOf', valueDate: '2026-01-01' }, { name: 'bundle', resource: bundle }], 'Parameters.parameter[1]'],
    ['value and resource both [inv-1]', [{ name: 'bundle', resource: bundle, valueString: 'x' }], 'Parameters.parameter[0]'],
    ['resource and part both [inv-1]', [{ name: 'bundle', resource: bundle, part: [] }], 'Parameters.parameter[0]'],
    ['two value[x] [inv-1]', [{ name: 'bundle', resource: bundle }, { name: 'asOf', valueDate: '2026-01-01', valueString: '2026-01-01' }], 'Parameters.parameter[1]'],
    ['none of value, resource, part [inv-1]', [{ name: 'bundle' }], 'Parameters.parameter[0]'],
    ['bundle as a part', [{ name: 'bundle', part: [{ name: 'x', resource: bundle }] }], 'Parameters.parameter[0].resource'],
    ['bundle not a Bundle', [{ name: 'bundle', resource: { resourceType: 'Patient', id: 'p' } }], 'Parameters.parameter[0].resource'],
    ['bundle a string', [{ name: 'bundle', resource: 'Bundle' }], 'Parameters.parameter[0].resource'],
    ['a parameter without a name', [{ resource: bundle }], 'Parameters.parameter[0]'],
    ['a name that is a number', [{ name: 7, resource: bundle }], 'Parameters.parameter[0]'],
    ['a parameter that is a string', ['bundle'], 'Parameters.parameter[0]'],
    ['no bundle parameter', [{ name: 'asOf', valueDate: '2026-01-01' }], 'Parameters.parameter'],
    ['no parameters at all', [], 'Parameters.parameter'],
  ])('rejects %s: PRESCREEN_BAD_PARAMETERS', (_desc, list, expression) => {
    expectOutcome(() => readScreenBody(parameters(...list)), 'PRESCREEN_BAD_PARAMETERS', expression);
  });

  it('rejects Parameters whose parameter is not an array', () => {
    expectOutcome(
      () => readScreenBody({ resourceType: 'Parameters', parameter: { name: 'bundle', resource: bundle } }),
      'PRESCREEN_BAD_PARAMETERS',
      'Parameters.parameter',
    );
    expectOutcome(() => readScreenBody({ resourceType: 'Parameters' }), 'PRESCREEN_BAD_PARAMETERS', 'Parameters.parameter');
  });

  it.each([
    ['2026-13-01', 'Parameters.parameter[1].valueDate'],
    ['2026-02-30', 'Parameters.parameter[1].valueDate'],
    ['2026-10', 'Parameters.parameter[1].valueDate'],
    ['2026-10-26T00:00:00Z', 'Parameters.parameter[1].valueDate'],
    ['26/10/2026', 'Parameters.parameter[1].valueDate'],
    [20261026, 'Parameters.parameter[1].valueDate'],
  ])('rejects asOf valueDate %j: PRESCREEN_BAD_ASOF', (value, expression) => {
    expectOutcome(
      () => readScreenBody(parameters({ name: 'bundle', resource: bundle }, { name: 'asOf', valueDate: value })),
      'PRESCREEN_BAD_ASOF',
      expression,
    );
  });

  it('rejects an asOf that is not a valueDate: PRESCREEN_BAD_ASOF on the parameter', () => {
    expectOutcome(
      () => readScreenBody(parameters({ name: 'asOf', valueString: '2026-10-26' }, { name: 'bundle', resource: bundle })),
      'PRESCREEN_BAD_ASOF',
      'Parameters.parameter[0]',
    );
  });
});

describe('readScreenBody: not a Bundle or Parameters', () => {
  it.each([
    ['an array', [bundle]],
    ['a string', 'Bundle'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object without resourceType', { type: 'collection', entry: [] }],
    ['a resourceType that is not a string', { resourceType: ['Bundle'] }],
  ])('%s: PRESCREEN_NOT_BUNDLE', (_desc, body) => {
    expectOutcome(() => readScreenBody(body), 'PRESCREEN_NOT_BUNDLE');
  });

  it('another resource: PRESCREEN_NOT_BUNDLE on resourceType', () => {
    expectOutcome(() => readScreenBody({ resourceType: 'Patient', id: 'p' }), 'PRESCREEN_NOT_BUNDLE', 'resourceType');
  });

  it('100,000 nested arrays: not a Bundle, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    expectOutcome(() => readScreenBody(deep), 'PRESCREEN_NOT_BUNDLE');
  });

  it('a deep value inside Parameters, beside the Bundle: the Bundle is read, nothing walks the rest (max-depth.ts)', () => {
    let value: unknown = {};
    for (let i = 0; i < 100_000; i++) value = { extension: [value] };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [] };
    const read = readScreenBody({ resourceType: 'Parameters', parameter: [{ name: 'bundle', resource: bundle, ...(value as object) }] });
    expect(read.bundle).toBe(bundle);
  });
});

describe('reconcileAsOf', () => {
  const withAsOf = { asOf: '2026-10-26', asOfPath: 'Parameters.parameter[0].valueDate' };

  it('neither: undefined (the caller picks today)', () => {
    expect(reconcileAsOf(undefined, {})).toBeUndefined();
  });

  it('either alone decides', () => {
    expect(reconcileAsOf('2026-01-31', {})).toBe('2026-01-31');
    expect(reconcileAsOf(undefined, withAsOf)).toBe('2026-10-26');
  });

  it('both equal: that day', () => {
    expect(reconcileAsOf('2026-10-26', withAsOf)).toBe('2026-10-26');
  });

  it('both differ: PRESCREEN_ASOF_CONFLICT on the parameter', () => {
    const error = expectOutcome(() => reconcileAsOf('2026-10-27', withAsOf), 'PRESCREEN_ASOF_CONFLICT', 'Parameters.parameter[0].valueDate');
    expect(error.status).toBe(400);
    expect(error.issue).toBe('value');
  });

  it.each([['2026-2-1'], ['2026-02-29'], [''], [['2026-01-01', '2026-01-01']], [20260101]])(
    'a bad query asOf %j: PRESCREEN_BAD_ASOF',
    (value) => {
      expectOutcome(() => reconcileAsOf(value, withAsOf), 'PRESCREEN_BAD_ASOF');
    },
  );

  it('works on what readScreenBody returns', () => {
    const read = readScreenBody(parameters({ name: 'bundle', resource: bundle }, { name: 'asOf', valueDate: '2026-10-26' }));
    expectOutcome(() => reconcileAsOf('2025-10-26', read), 'PRESCREEN_ASOF_CONFLICT', 'Parameters.parameter[1].valueDate');
  });
});

describe('screeningDay', () => {
  const today = '2026-12-31';

  it('is today without an asOf, else the asOf given, up to tomorrow', () => {
    expect(screeningDay(undefined, {}, today)).toBe(today);
    expect(screeningDay('2020-02-29', {}, today)).toBe('2020-02-29');
    expect(screeningDay('2027-01-01', {}, today)).toBe('2027-01-01');
  });

  it('refuses a day after tomorrow, from the query or on the Parameters value', () => {
    const fromQuery = expectOutcome(() => screeningDay('2027-01-02', {}, today), 'PRESCREEN_FUTURE_ASOF');
    expect(fromQuery.status).toBe(400);
    expect(fromQuery.detail).toBe('(query parameter asOf) The latest asOf today is 2027-01-01.');
    expectOutcome(() => screeningDay(undefined, { asOf: '2027-01-02', asOfPath: 'Parameters.parameter[1].valueDate' }, today), 'PRESCREEN_FUTURE_ASOF', 'Parameters.parameter[1].valueDate');
  });

  it('checks the date is a date before it checks it is too late', () => {
    expectOutcome(() => screeningDay('9999-99-99', {}, today), 'PRESCREEN_BAD_ASOF');
  });
});
