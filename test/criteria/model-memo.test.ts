// memoOnModel (src/criteria/common/model-memo.ts): what criteria derive from a model is worked
// out once per model object, kept where nothing that reads or copies the model sees it.

import { describe, expect, it } from 'vitest';
import { memoOnModel } from '../../src/criteria/common/model-memo.js';
import { labsOf } from '../../src/criteria/common/results-by-test.js';
import { timelineOf } from '../../src/criteria/common/medication-timeline.js';
import { lab, med, model } from './helpers/model-builder.js';

describe('memoOnModel', () => {
  it('derives once per model object, and again for another model', () => {
    let calls = 0;
    const count = memoOnModel('test count', (m) => ({ labs: m.labs.length, call: ++calls }));
    const a = model({ labs: [lab('ck', { value: 500 })] });
    expect(count(a)).toEqual({ labs: 1, call: 1 });
    expect(count(a)).toBe(count(a));
    expect(calls).toBe(1);
    expect(count(model())).toEqual({ labs: 0, call: 2 });
  });

  it('leaves the model as JSON, a structured clone and equality see it', () => {
    const a = model({ labs: [lab('ck', { value: 500 })], medications: [med('methotrexate', { start: '2026-01-01' })] });
    const before = JSON.stringify(a);
    const clone = structuredClone(a);
    timelineOf(a);
    labsOf(a, ['ck']);
    expect(JSON.stringify(a)).toBe(before);
    expect(Object.keys(a)).toEqual(Object.keys(clone));
    expect(structuredClone(a)).toEqual(clone);
    expect(a).toEqual(clone);
  });

  it('a frozen model is derived on every call instead of failing', () => {
    let calls = 0;
    const count = memoOnModel('frozen count', () => ++calls);
    const frozen = Object.freeze(model());
    expect(count(frozen)).toBe(1);
    expect(count(frozen)).toBe(2);
    expect(timelineOf(frozen).tracks.size).toBe(0);
  });
});
