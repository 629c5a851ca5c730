import { describe, expect, it } from 'vitest';
import { jsonEqual } from '../../src/ingest/json-equal.js';
import { assertMaxDepth } from '../../src/ingest/max-depth.js';
import { expectOutcome } from './outcome.js';

describe('assertMaxDepth', () => {
  it('passes scalars and shallow values', () => {
    for (const value of [null, undefined, 1, 'x', true, [], {}, [[]], { a: { b: [1, 2] } }]) {
      expect(() => assertMaxDepth(value, 3)).not.toThrow();
    }
  });

  it('the root is level 1; one past the limit is too deep', () => {
    expect(() => assertMaxDepth([[[]]], 3)).not.toThrow();
    expectOutcome(() => assertMaxDepth([[[[]]]], 3), 'PRESCREEN_TOO_DEEP');
  });

  it('names the path only when told the root', () => {
    expectOutcome(() => assertMaxDepth({ resourceType: 'Bundle', entry: [{ a: {} }] }, 3, 'Bundle'), 'PRESCREEN_TOO_DEEP', 'Bundle.entry[0].a');
  });

  it('1,000,000 nested arrays: an answer, not a stack overflow', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + ']'.repeat(1_000_000));
    expectOutcome(() => assertMaxDepth(deep), 'PRESCREEN_TOO_DEEP');
  });

  it('a cyclic object (never from JSON, but possible from code) ends as too deep', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectOutcome(() => assertMaxDepth(cyclic), 'PRESCREEN_TOO_DEEP');
  });
});

describe('jsonEqual', () => {
  it.each([
    [1, 1, true],
    ['a', 'a', true],
    [null, null, true],
    [{ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }, true],
    [[1, 2], [2, 1], false],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [{ a: 1 }, { b: 1 }, false],
    [[], {}, false],
    [null, {}, false],
    ['1', 1, false],
    [{ a: [1] }, { a: [1, 2] }, false],
  ])('%j vs %j → %s', (a, b, equal) => {
    expect(jsonEqual(a, b)).toBe(equal);
    expect(jsonEqual(b, a)).toBe(equal);
  });

  it('compares 1,000,000-deep values without a stack overflow', () => {
    const text = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    expect(jsonEqual(JSON.parse(text), JSON.parse(text))).toBe(true);
  });
});
