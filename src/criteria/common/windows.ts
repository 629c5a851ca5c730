// Look-back windows `[D − N, D]` in calendar days or months, and the first day on which an
// event stops being inside one (clearsOn). Month windows clamp the day, so the clearing
// day is found by checking the neighbours rather than by one addition.

import { addDays, addMonths, type IsoDay } from '../../fhir/dates.js';

export interface LookbackWindow {
  from: IsoDay;
  to: IsoDay;
  /** `365 days`, `6 months`, `5 years`: for reasons. */
  label: string;
  /** The first day D' > D whose window no longer contains `lastDay`. */
  clearsAfter(lastDay: IsoDay): IsoDay;
}

export function daysWindow(asOf: IsoDay, days: number): LookbackWindow {
  return {
    from: addDays(asOf, -days),
    to: asOf,
    label: `${days} days`,
    clearsAfter: (lastDay) => addDays(lastDay, days + 1),
  };
}

export function monthsWindow(asOf: IsoDay, months: number, label = `${months} months`): LookbackWindow {
  const start = (day: IsoDay): IsoDay => addMonths(day, -months);
  return {
    from: start(asOf),
    to: asOf,
    label,
    clearsAfter(lastDay) {
      let day = addDays(addMonths(lastDay, months), 1);
      while (start(addDays(day, -1)) > lastDay) day = addDays(day, -1);
      while (start(day) <= lastDay) day = addDays(day, 1);
      return day;
    },
  };
}

export function yearsWindow(asOf: IsoDay, years: number): LookbackWindow {
  return monthsWindow(asOf, years * 12, `${years} years`);
}

/** The latest of some days (callers pass at least one). */
export function latestDay(days: IsoDay[]): IsoDay {
  return days.reduce((a, b) => (b > a ? b : a));
}
