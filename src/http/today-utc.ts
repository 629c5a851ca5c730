// The default screening date. The transport reads the clock so the domain never does
// (D = asOf, by default today in UTC).

import type { IsoDay } from '../fhir/dates.js';

export function todayUtc(now: Date = new Date()): IsoDay {
  return now.toISOString().slice(0, 10);
}
