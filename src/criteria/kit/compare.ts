// A value against limits, three-valued, honouring a written comparator: `<5` is surely below
// 10 but may or may not be at least 3. The value stands for a set of numbers (an interval), and
// a limit holds when it holds for all of them, fails when it fails for all, else maybe.

import type { Tri } from '../../fhir/dates.js';
import type { LimitValues } from './params.js';

export type Comparator = '<' | '<=' | '>=' | '>';

interface Interval {
  lo: number;
  loOpen: boolean;
  hi: number;
  hiOpen: boolean;
}

function intervalOf(value: number, comparator: Comparator | undefined): Interval {
  switch (comparator) {
    case undefined:
      return { lo: value, loOpen: false, hi: value, hiOpen: false };
    case '<':
      return { lo: -Infinity, loOpen: true, hi: value, hiOpen: true };
    case '<=':
      return { lo: -Infinity, loOpen: true, hi: value, hiOpen: false };
    case '>':
      return { lo: value, loOpen: true, hi: Infinity, hiOpen: true };
    case '>=':
      return { lo: value, loOpen: false, hi: Infinity, hiOpen: true };
  }
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'yes';
}

/** Does the value meet every limit given? Limits are in the value's unit. */
export function meetsLimits(value: number, comparator: Comparator | undefined, limits: LimitValues): Tri {
  const x = intervalOf(value, comparator);
  let out: Tri = 'yes';
  if (limits.atLeast !== undefined) {
    const l = limits.atLeast;
    out = and(out, x.lo >= l ? 'yes' : x.hi < l || (x.hi === l && x.hiOpen) ? 'no' : 'maybe');
  }
  if (limits.above !== undefined) {
    const l = limits.above;
    out = and(out, x.lo > l || (x.lo === l && x.loOpen) ? 'yes' : x.hi <= l ? 'no' : 'maybe');
  }
  if (limits.atMost !== undefined) {
    const l = limits.atMost;
    out = and(out, x.hi <= l ? 'yes' : x.lo > l || (x.lo === l && x.loOpen) ? 'no' : 'maybe');
  }
  if (limits.below !== undefined) {
    const l = limits.below;
    out = and(out, x.hi < l || (x.hi === l && x.hiOpen) ? 'yes' : x.lo >= l ? 'no' : 'maybe');
  }
  return out;
}

/** Each limit multiplied by `factor` (a ULN), with binary noise rounded away. */
export function scaleLimits(limits: LimitValues, factor: number, clean: (n: number) => number): LimitValues {
  const s = (n: number | undefined) => (n === undefined ? undefined : clean(n * factor));
  return { atLeast: s(limits.atLeast), above: s(limits.above), atMost: s(limits.atMost), below: s(limits.below) };
}
