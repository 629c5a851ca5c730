// The kit's Kleene all / any / not: truth tables, the manual rule of combinations, and how
// evidence, reasons, missing data and clearsOn are carried along.

import { describe, expect, it } from 'vitest';
import { all, any, not } from '../../../src/criteria/kit/kleene.js';
import { kitDecided, kitManual, kitOpen, toCriterionOutcome, type KitOutcome } from '../../../src/criteria/kit/outcome.js';

const T = (ref = 'Observation/t', clearsOn?: string): KitOutcome => kitDecided('met', `true ${ref}`, [ref], clearsOn);
const F = (ref = 'Observation/f', clearsOn?: string): KitOutcome => kitDecided('not-met', `false ${ref}`, [ref], clearsOn);
const U = (ref = 'Observation/u'): KitOutcome => kitOpen(`open ${ref}`, [{ text: `data for ${ref}` }], [ref]);
const M = (ref = 'Observation/m'): KitOutcome => kitManual(`person ${ref}`, [ref], [{ text: `a person for ${ref}` }]);

const VALUES: Record<string, () => KitOutcome> = { T: () => T(), F: () => F(), U: () => U(), M: () => M() };
/** Result letters: T met, F not-met, U unknown open, M unknown manual. */
function letter(o: KitOutcome): string {
  return o.result === 'met' ? 'T' : o.result === 'not-met' ? 'F' : o.manual ? 'M' : 'U';
}

// Rows: left operand T F U M; columns: right operand T F U M.
const AND = { T: 'TFUM', F: 'FFFF', U: 'UFUU', M: 'MFUM' };
const OR = { T: 'TTTT', F: 'TFUM', U: 'TUUU', M: 'TMUM' };

describe('Kleene truth tables (two operands, with the manual flag)', () => {
  for (const [name, fn, table] of [
    ['all', all, AND],
    ['any', any, OR],
  ] as const) {
    for (const [a, row] of Object.entries(table)) {
      for (const [i, b] of ['T', 'F', 'U', 'M'].entries()) {
        it(`${name}(${a}, ${b}) = ${row[i]}`, () => {
          expect(letter(fn([VALUES[a]!(), VALUES[b]!()]))).toBe(row[i]);
        });
      }
    }
  }
  it('not swaps met and not-met and keeps unknown and its manual flag', () => {
    expect(letter(not(T()))).toBe('F');
    expect(letter(not(F()))).toBe('T');
    expect(letter(not(U()))).toBe('U');
    expect(letter(not(M()))).toBe('M');
  });
  it('an empty all is met and an empty any is not-met (their units)', () => {
    expect(all([]).result).toBe('met');
    expect(any([]).result).toBe('not-met');
  });
});

describe('the manual rule: an unknown is manual only when every unknown part that could still decide it is manual', () => {
  it('all(any(manual, open), manual) is manual: the open part can only make the any met, which leaves the all to a person', () => {
    const inner = any([M('Observation/m1'), U('Observation/n')]);
    expect(letter(inner)).toBe('U');
    expect(inner.couldBecome).toEqual(['met']);
    const outer = all([inner, M('Observation/m2')]);
    expect(outer.result).toBe('unknown');
    expect(outer.manual).toBe(true);
    expect(outer.couldBecome).toEqual([]);
  });
  it('any(all(manual, open), manual) is manual too (the dual)', () => {
    const outer = any([all([M('Observation/m1'), U('Observation/n')]), M('Observation/m2')]);
    expect(letter(outer)).toBe('M');
  });
  it('all(any(manual, open), open) is not manual: the second open part could make it not-met', () => {
    expect(letter(all([any([M(), U('Observation/n')]), U('Observation/o')]))).toBe('U');
  });
  it('all(manual, open) is not manual; all(manual, manual, met) is', () => {
    expect(letter(all([M(), U()]))).toBe('U');
    expect(letter(all([M('Observation/m1'), M('Observation/m2'), T()]))).toBe('M');
  });
  it('a manual part already outweighed is not consulted: any(all(manual, not-met), open) is open', () => {
    expect(letter(any([all([M(), F()]), U()]))).toBe('U');
  });
  it('not keeps what the part could become, flipped', () => {
    const inner = any([M(), U()]);
    expect(not(inner).couldBecome).toEqual(['not-met']);
    expect(letter(any([not(inner), M('Observation/m2')]))).toBe('M');
  });
});

describe('evidence, reasons and missing data are carried along', () => {
  it('a met all cites every part; a not-met all cites only the parts that failed', () => {
    const met = all([T('Observation/a'), T('Observation/b')]);
    expect(met.evidence).toEqual(['Observation/a', 'Observation/b']);
    expect(met.reason).toBe('true Observation/a; true Observation/b');
    const failed = all([T('Observation/a'), F('Observation/b'), U('Observation/c')]);
    expect(failed.evidence).toEqual(['Observation/b']);
    expect(failed.reason).toBe('false Observation/b');
    expect(failed.missingData).toEqual([]);
  });
  it('an unknown names its unknown parts and their missing data once each', () => {
    const out = all([T('Observation/a'), U('Observation/c'), U('Observation/c'), M('Observation/m')]);
    expect(out.reason).toBe('open Observation/c; person Observation/m');
    expect(out.missingData.map((m) => m.text)).toEqual(['data for Observation/c', 'a person for Observation/m']);
    expect(out.evidence).toEqual(['Observation/a', 'Observation/c', 'Observation/m']);
  });
  it('toCriterionOutcome drops couldBecome and keeps the contract fields', () => {
    const out = toCriterionOutcome(any([M(), U()]));
    expect(Object.keys(out).sort()).toEqual(['evidence', 'manual', 'missingData', 'reason', 'result']);
  });
});

describe('clearsOn through combinations', () => {
  it('a met all clears on the earliest clearsOn of its parts', () => {
    expect(all([T('Observation/a', '2026-12-01'), T('Observation/b', '2026-11-15'), T('Observation/c')]).clearsOn).toBe('2026-11-15');
  });
  it('a not-met all clears on the latest clearsOn of its failing parts, and never when one has none', () => {
    expect(all([F('Observation/a', '2026-12-01'), F('Observation/b', '2026-11-15'), T('Observation/c', '2026-11-01')]).clearsOn).toBe('2026-12-01');
    expect(all([F('Observation/a', '2026-12-01'), F('Observation/b')]).clearsOn).toBeUndefined();
  });
  it('any is the dual: met clears on the latest of its met parts; not-met on the earliest of all', () => {
    expect(any([T('Observation/a', '2026-12-01'), T('Observation/b', '2026-11-15'), F('Observation/c')]).clearsOn).toBe('2026-12-01');
    expect(any([T('Observation/a', '2026-12-01'), T('Observation/b')]).clearsOn).toBeUndefined();
    expect(any([F('Observation/a', '2026-12-01'), F('Observation/b', '2026-11-15')]).clearsOn).toBe('2026-11-15');
  });
  it('an unknown has none; not keeps its part\'s', () => {
    expect(all([T('Observation/a', '2026-12-01'), U()]).clearsOn).toBeUndefined();
    expect(not(F('Observation/a', '2026-12-01')).clearsOn).toBe('2026-12-01');
  });
});
