// UCUM, through @lhncbc/ucum-lhc. Conversions are linear for every unit the study uses, so the
// factor from one unit to another is computed once and cached; ucum-lhc's own call is far too
// slow to make per value.

import ucum from '@lhncbc/ucum-lhc';

const utils = ucum.UcumLhcUtils.getInstance();
const validity = new Map<string, boolean>();
const factors = new Map<string, number | undefined>();

export function isUcumUnit(unit: string): boolean {
  let ok = validity.get(unit);
  if (ok === undefined) {
    ok = utils.validateUnitString(unit).status === 'valid';
    validity.set(unit, ok);
  }
  return ok;
}

/** The factor f with value_in_`to` = value_in_`from` × f, or undefined when UCUM cannot convert. */
export function conversionFactor(from: string, to: string): number | undefined {
  if (from === to) return 1;
  const key = `${from}\u0000${to}`;
  if (factors.has(key)) return factors.get(key);
  let factor: number | undefined;
  if (isUcumUnit(from) && isUcumUnit(to)) {
    const r = utils.convertUnitTo(from, 1, to);
    if (r.status === 'succeeded' && typeof r.toVal === 'number' && Number.isFinite(r.toVal)) factor = r.toVal;
  }
  factors.set(key, factor);
  return factor;
}

const cleaned = new Map<number, number>();
const CLEANED_LIMIT = 10_000;

/** Rounds away binary noise (3.5000000000000004 → 3.5) so thresholds compare as written. */
export function clean(n: number): number {
  // An integer of at most 12 digits is its own 12-digit rounding; `+ 0` turns -0 into 0, as
  // the string round trip does. Other values repeat (the same lab values, the same factors),
  // and toPrecision is slow, so their answers are remembered.
  if (Number.isInteger(n) && n > -1e12 && n < 1e12) return n + 0;
  let r = cleaned.get(n);
  if (r === undefined) {
    r = Number.parseFloat(n.toPrecision(12));
    if (cleaned.size >= CLEANED_LIMIT) cleaned.clear();
    cleaned.set(n, r);
  }
  return r;
}

export function convert(value: number, from: string, to: string): number | undefined {
  const f = conversionFactor(from, to);
  if (f === 1) return value;
  return f === undefined ? undefined : clean(value * f);
}
