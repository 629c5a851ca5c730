// UCUM, through @lhncbc/ucum-lhc. Conversions are linear for every unit the study uses, so the
// factor from one unit to another is computed once and cached; ucum-lhc's own call is far too
// slow to make per value. Both caches are keyed by unit strings as sent, so they are bounded:
// a Bundle of made-up units costs a recomputation, never unbounded memory.
//
// ucum-lhc keeps its unit tables in plain objects and looks unit strings and their parts up in
// them, so `constructor` or `mg/__proto__` found Object.prototype's members and threw deep in
// the library. Its tables are given a null prototype here, once, before any lookup; and
// anything it still throws on is a unit it cannot read, never a failed screening. It also
// writes a unit string it cannot parse to stdout with console.log: a unit comes from the input
// and may be free text, and no input reaches a log, so its calls run with console.log muted.

import ucum from '@lhncbc/ucum-lhc';

const utils = ucum.UcumLhcUtils.getInstance();
for (const table of Object.values(ucum.UnitTables.getInstance())) {
  if (typeof table === 'object' && table !== null && Object.getPrototypeOf(table) === Object.prototype) Object.setPrototypeOf(table, null);
}

/** Runs a ucum-lhc call with console.log muted (it logs the unit strings it cannot parse). */
function quietly<T>(call: () => T): T {
  const log = console.log;
  console.log = () => undefined;
  try {
    return call();
  } finally {
    console.log = log;
  }
}

/** The most unit strings, and unit pairs, remembered; each cache empties when full. */
export const UNIT_MEMO_LIMIT = 10_000;
const validity = new Map<string, boolean>();
const factors = new Map<string, number | undefined>();

/** How many answers each cache holds (for the test that they stay bounded). */
export function unitMemoSizes(): { validity: number; factors: number; cleaned: number } {
  return { validity: validity.size, factors: factors.size, cleaned: cleaned.size };
}

export function isUcumUnit(unit: string): boolean {
  let ok = validity.get(unit);
  if (ok === undefined) {
    try {
      ok = quietly(() => utils.validateUnitString(unit)).status === 'valid';
    } catch {
      ok = false;
    }
    if (validity.size >= UNIT_MEMO_LIMIT) validity.clear();
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
    try {
      const r = quietly(() => utils.convertUnitTo(from, 1, to));
      if (r.status === 'succeeded' && typeof r.toVal === 'number' && Number.isFinite(r.toVal)) factor = r.toVal;
    } catch {
      factor = undefined;
    }
  }
  if (factors.size >= UNIT_MEMO_LIMIT) factors.clear();
  factors.set(key, factor);
  return factor;
}

const cleaned = new Map<number, number>();
export const CLEANED_LIMIT = 10_000;

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
