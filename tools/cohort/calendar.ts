// Days relative to the cohort's as-of date, and FHIR dateTimes written the way a Synthea
// export writes them: local time with a US Eastern offset (`1989-05-27T23:58:16-04:00`).
// Days are plain day numbers (days since 1970-01-01) so arithmetic stays cheap.

import { addMonths, addYears, dayNumber, fromDayNumber, type IsoDay } from '../../src/fhir/dates.js';
import type { Rng } from './random.js';

const isoCache = new Map<number, IsoDay>();

/** `YYYY-MM-DD` of a day number (memoised: a cohort touches a few tens of thousands of days). */
export function isoOf(day: number): IsoDay {
  let iso = isoCache.get(day);
  if (iso === undefined) {
    iso = fromDayNumber(day);
    isoCache.set(day, iso);
  }
  return iso;
}

/** US Eastern daylight time, approximately (mid-March to early November). */
function offsetOf(iso: IsoDay): string {
  const month = Number(iso.slice(5, 7));
  const dayOfMonth = Number(iso.slice(8, 10));
  const summer =
    (month > 3 && month < 11) || (month === 3 && dayOfMonth >= 10) || (month === 11 && dayOfMonth < 5);
  return summer ? '-04:00' : '-05:00';
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export class Calendar {
  readonly asOf: IsoDay;
  /** The as-of date's day number. */
  readonly today: number;

  constructor(asOf: IsoDay) {
    this.asOf = asOf;
    this.today = dayNumber(asOf);
  }

  iso(day: number): IsoDay {
    return isoOf(day);
  }

  daysAgo(n: number): number {
    return this.today - n;
  }

  /** The same calendar day `n` months before as-of (clamped: 31 May − 3 months = 28 Feb). */
  monthsAgo(n: number): number {
    return dayNumber(addMonths(this.asOf, -n));
  }

  yearsAgo(n: number): number {
    return dayNumber(addYears(this.asOf, -n));
  }

  /** `n` calendar years after a day (used for birthdays). */
  yearsAfter(day: number, n: number): number {
    return dayNumber(addYears(isoOf(day), n));
  }

  /** A dateTime on `day` at a random time of day. */
  dateTime(day: number, rng: Rng): string {
    return this.at(day, rng.int(7, 19), rng.int(0, 59), rng.int(0, 59));
  }

  /** A dateTime on `day` at the given local time (the written day is what counts). */
  at(day: number, hour: number, minute: number, second: number): string {
    const iso = isoOf(day);
    return `${iso}T${two(hour)}:${two(minute)}:${two(second)}${offsetOf(iso)}`;
  }

  /** An instant like Synthea's `issued`: with milliseconds. */
  instant(day: number, rng: Rng): string {
    const iso = isoOf(day);
    const ms = String(rng.int(0, 999)).padStart(3, '0');
    return `${iso}T${two(rng.int(7, 20))}:${two(rng.int(0, 59))}:${two(rng.int(0, 59))}.${ms}${offsetOf(iso)}`;
  }
}
