// Calendar-date arithmetic for FHIR dates, done on day numbers so that no result ever
// depends on the process time zone (the rule: dates are compared as calendar dates in
// the offset they were written in).

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

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1]!;
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
 *
 * Every dated resource comes through here, so the grammar of DATE_RE is read by hand, one
 * character code at a time, with no match array and no re-formatting of the day (the input's
 * own `YYYY-MM-DD` is already the IsoDay). test/fhir/dates-fast-paths.test.ts holds it to DATE_RE.
 */
export function parseFhirDate(value: unknown): DayRange | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const n = value.length;
  if (n !== 4 && n !== 7 && n < 10) return undefined;
  const year = digits(value, 0, 4);
  if (year < 1) return undefined;
  if (n === 4) return { earliest: `${value}-01-01`, latest: `${value}-12-31` };
  if (value.charCodeAt(4) !== DASH) return undefined;
  const month = digits(value, 5, 2);
  if (month < 1 || month > 12) return undefined;
  if (n === 7) return { earliest: `${value}-01`, latest: `${value}-${pad(daysInMonth(year, month))}` };
  if (value.charCodeAt(7) !== DASH) return undefined;
  const day = digits(value, 8, 2);
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (n > 10 && !validTime(value, 10)) return undefined;
  const d = n === 10 ? value : value.slice(0, 10);
  return { earliest: d, latest: d };
}

const DASH = 0x2d;
const COLON = 0x3a;

/** The number written by `count` ASCII digits at `at`, or -1 when any is not a digit. */
function digits(s: string, at: number, count: number): number {
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** `Thh:mm[:ss[.f+]][Z|±hh:mm]` from `at` to the end, with DATE_RE's range checks. */
function validTime(s: string, at: number): boolean {
  const n = s.length;
  if (n < at + 6 || s.charCodeAt(at) !== 0x54 /* T */ || s.charCodeAt(at + 3) !== COLON) return false;
  const hh = digits(s, at + 1, 2);
  const mm = digits(s, at + 4, 2);
  if (hh < 0 || mm < 0 || hh > 24 || mm > 59) return false;
  let i = at + 6;
  if (i < n && s.charCodeAt(i) === COLON) {
    const ss = i + 3 <= n ? digits(s, i + 1, 2) : -1;
    if (ss < 0 || ss > 60) return false;
    i += 3;
    if (i < n && s.charCodeAt(i) === 0x2e /* . */) {
      const start = ++i;
      while (i < n && digits(s, i, 1) >= 0) i++;
      if (i === start) return false;
    }
  }
  if (i === n) return true;
  const c = s.charCodeAt(i);
  if (c === 0x5a /* Z */) return i + 1 === n;
  if (c !== 0x2b /* + */ && c !== DASH) return false;
  return i + 6 === n && digits(s, i + 1, 2) >= 0 && s.charCodeAt(i + 3) === COLON && digits(s, i + 4, 2) >= 0;
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

/**
 * Days since 1970-01-01. The medication timeline and the windows call these for every record,
 * so they use the civil-calendar arithmetic of H. Hinnant's days_from_civil / civil_from_days
 * (proleptic Gregorian, as Date is) instead of building a Date per call; anything outside its
 * domain goes through Date as before. test/fhir/dates-fast-paths.test.ts holds the two
 * equal.
 */
export function dayNumber(day: IsoDay): number {
  // The common case, read digit by digit: no slices (this runs for every record of a timeline).
  if (day.length === 10 && day.charCodeAt(4) === DASH && day.charCodeAt(7) === DASH) {
    const year = digits(day, 0, 4);
    const month = digits(day, 5, 2);
    const date = digits(day, 8, 2);
    if (year >= 0 && month >= 1 && month <= 12 && date >= 0) return daysFromCivil(year, month, date);
  }
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7));
  const d = Number(day.slice(8, 10));
  if (Number.isInteger(y) && Number.isInteger(m) && Number.isInteger(d) && m >= 1 && m <= 12) return daysFromCivil(y, m, d);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  return Math.round(date.getTime() / MS_PER_DAY);
}

/** Day number of year-month-day; linear in the day, so day 0 or 32 rolls over as Date does. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Day numbers of 0000-01-01 and 9999-12-31: the years an IsoDay can spell. */
const FIRST_DAY = -719528;
const LAST_DAY = 2932896;

export function fromDayNumber(n: number): IsoDay {
  if (Number.isInteger(n) && n >= FIRST_DAY && n <= LAST_DAY) {
    const z = n + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    return isoDay(yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
  }
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
