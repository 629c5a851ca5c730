// The fast paths of src/fhir/dates.ts against what they replaced: parseFhirDate reads its grammar
// by hand instead of with a regular expression, and dayNumber / fromDayNumber use calendar
// arithmetic instead of Date. Over values built to sit on every edge, each must give exactly
// what the old reading gave.

import { describe, expect, it } from 'vitest';
import { dayNumber, daysInMonth, fromDayNumber, isoDay, parseFhirDate, type DayRange } from '../../src/fhir/dates.js';

const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The regex reading, as parseFhirDate was written before. */
function byRegex(value: unknown): DayRange | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < 1) return undefined;
  if (m[2] === undefined) return { earliest: isoDay(year, 1, 1), latest: isoDay(year, 12, 31) };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  if (m[3] === undefined) return { earliest: isoDay(year, month, 1), latest: isoDay(year, month, daysInMonth(year, month)) };
  const day = Number(m[3]);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (m[4] !== undefined) {
    const hh = Number(m[4]);
    const mm = Number(m[5]);
    const ss = m[6] === undefined ? 0 : Number(m[6]);
    if (hh > 24 || mm > 59 || ss > 60) return undefined;
  }
  const d = isoDay(year, month, day);
  return { earliest: d, latest: d };
}

function values(): unknown[] {
  const out: unknown[] = [undefined, null, 2026, {}, [], '', 'yesterday', '2026-10-26 ', ' 2026', '２０２６', 'x'.repeat(41)];
  const days = ['0000', '0001', '0012', '1999', '2024', '2026', '9999', '20a6', '-202'];
  const months = ['', '-00', '-01', '-02', '-09', '-12', '-13', '-1', '-ab', '/01'];
  const dayParts = ['', '-00', '-01', '-28', '-29', '-30', '-31', '-32', '-3', '-x1'];
  const times = ['', 'T', 'T10', 'T10:00', 'T24:00', 'T25:00', 'T10:59', 'T10:60', 'T1:00', 't10:00', 'T10:00:00', 'T10:00:60', 'T10:00:61', 'T10:00:5', 'T10:00:00.', 'T10:00:00.1', 'T10:00:00.123456', 'T10:00.5', 'T10:00:00.12a'];
  const zones = ['', 'Z', 'z', '+01:00', '-05:00', '+14:00', '+1:00', '+01:0', '+0100', '+01:00Z', 'ZZ', '+99:99', '-', ' '];
  for (const y of days) {
    for (const m of months) {
      out.push(y + m);
      for (const d of dayParts) {
        out.push(y + m + d);
        if (m === '-02' || m === '-12' || m === '-13') for (const t of times) for (const z of zones) out.push(y + m + d + t + z);
      }
    }
  }
  return out;
}

describe('parseFhirDate grammar', () => {
  it('agrees with the FHIR date regex on every edge of its grammar', () => {
    const all = values();
    expect(all.length).toBeGreaterThan(5000);
    for (const v of all) expect(parseFhirDate(v), JSON.stringify(v)).toEqual(byRegex(v));
  });
});

describe('day numbers', () => {
  const MS_PER_DAY = 86_400_000;
  /** The Date readings dayNumber and fromDayNumber replaced. */
  const dayNumberByDate = (day: string): number => {
    const date = new Date(0);
    date.setUTCFullYear(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
    return Math.round(date.getTime() / MS_PER_DAY);
  };
  const fromDayNumberByDate = (n: number): string => {
    const date = new Date(n * MS_PER_DAY);
    return isoDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  };

  it('agree with Date on every day from year 0 to 9999 and around the edges', () => {
    for (let n = -719528 - 40; n <= 2932896 + 40; n += n > -1000 && n < 30000 ? 1 : 97) {
      const day = fromDayNumber(n);
      expect(day).toBe(fromDayNumberByDate(n));
      if (/^\d{4}-\d{2}-\d{2}$/.test(day)) expect(dayNumber(day), day).toBe(n);
    }
  });

  it('agree with Date on days that roll over or are malformed', () => {
    for (const day of ['2026-02-29', '2026-02-31', '2026-01-00', '2026-12-32', '2024-02-30', '0000-01-01', '0000-00-01', '2026-13-01', '2026-xx-01', 'abcd-01-01']) {
      expect(dayNumber(day), day).toEqual(dayNumberByDate(day));
    }
    for (const n of [0.5, -0.5, 1e9, -1e9, Number.NaN]) expect(fromDayNumber(n), String(n)).toBe(fromDayNumberByDate(n));
  });
});
