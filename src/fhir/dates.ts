// Calendar-date arithmetic for FHIR dates, done on day numbers so that no result ever
// depends on the process time zone (criteria.md: "Dates are compared as calendar dates in
// the offset they were written in").

/** A calendar day, `YYYY-MM-DD`. Lexical order is chronological order. */
export type IsoDay = string;

/** The days an imprecise FHIR date may stand for: `2019-03` is 2019-03-01 … 2019-03-31. */
export interface DayRange {
  earliest: IsoDay;
  latest: IsoDay;
}

/** Three-valued answer for "is this (imprecise) date inside the window?". */
export type Tri = 'yes' | 'no' | 'maybe';

const DATE_RE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const MS_PER_DAY = 86_400_000;

export function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

export function isoDay(year: number, month: number, day: number): IsoDay {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/**
 * Parses a FHIR date, dateTime or instant. The day is the one written in the value's own
 * offset (`2026-01-01T23:30:00-05:00` is 2026-01-01). Invalid values (`2026-02-30`, `yesterday`,
 * non-strings) give undefined: callers treat them as missing data.
 */
export function parseFhirDate(value: unknown): DayRange | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const m = DATE_RE.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (year < 1) return undefined;
  if (m[2] === undefined) return { earliest: isoDay(year, 1, 1), latest: isoDay(year, 12, 31) };
  const month = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  if (m[3] === undefined) {
    return { earliest: isoDay(year, month, 1), latest: isoDay(year, month, daysInMonth(year, month)) };
  }
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

/** A strict `YYYY-MM-DD` (the `asOf` parameter). */
export function parseIsoDay(value: unknown): IsoDay | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  const r = parseFhirDate(value);
  return r?.earliest;
}

export function exactDay(day: IsoDay): DayRange {
  return { earliest: day, latest: day };
}

export function dayNumber(day: IsoDay): number {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return Math.round(date.getTime() / MS_PER_DAY);
}

export function fromDayNumber(n: number): IsoDay {
  const date = new Date(n * MS_PER_DAY);
  return isoDay(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function addDays(day: IsoDay, n: number): IsoDay {
  return fromDayNumber(dayNumber(day) + n);
}

export function daysBetween(from: IsoDay, to: IsoDay): number {
  return dayNumber(to) - dayNumber(from);
}

/** Calendar months, clamping the day: 2026-05-31 − 3 months = 2026-02-28. */
export function addMonths(day: IsoDay, n: number): IsoDay {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  const total = y * 12 + (m - 1) + n;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  return isoDay(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

export function addYears(day: IsoDay, n: number): IsoDay {
  return addMonths(day, n * 12);
}

/** Whole anniversaries reached on `on` (a 29 February birthday is reached on 28 February). */
export function wholeYears(birth: IsoDay, on: IsoDay): number {
  const by = Number(birth.slice(0, 4));
  const oy = Number(on.slice(0, 4));
  let years = oy - by;
  if (addYears(birth, years) > on) years -= 1;
  return years;
}

export function minDay(a: IsoDay, b: IsoDay): IsoDay {
  return a < b ? a : b;
}

export function maxDay(a: IsoDay, b: IsoDay): IsoDay {
  return a > b ? a : b;
}

/** Is the (imprecise) date inside `[from, to]`? Straddling the edge is `maybe`. */
export function rangeInWindow(r: DayRange, from: IsoDay, to: IsoDay): Tri {
  if (r.earliest >= from && r.latest <= to) return 'yes';
  if (r.latest < from || r.earliest > to) return 'no';
  return 'maybe';
}

/** Is the (imprecise) date on or before `day`? */
export function rangeOnOrBefore(r: DayRange, day: IsoDay): Tri {
  if (r.latest <= day) return 'yes';
  if (r.earliest > day) return 'no';
  return 'maybe';
}

/**
 * A span from an (imprecise) start to an (imprecise) end, both inclusive. Does it overlap
 * `[from, to]`? It surely does when its latest start is ≤ `to` and its earliest end ≥ `from`.
 */
export function spanOverlapsWindow(start: DayRange, end: DayRange, from: IsoDay, to: IsoDay): Tri {
  if (start.latest <= to && end.earliest >= from) return 'yes';
  if (start.earliest > to || end.latest < from) return 'no';
  return 'maybe';
}

export function triOr(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return 'no';
}

/** Human text for a range: the day, or `2019-03 (exact day unknown)`. */
export function describeRange(r: DayRange): string {
  return r.earliest === r.latest ? r.earliest : `${r.earliest}..${r.latest}`;
}
