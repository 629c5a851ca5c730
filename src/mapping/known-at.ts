// criteria.md Common rules: "Screening as of D sees only what had happened by D." A record whose
// date is surely after D (a Condition's onset, else its recorded date; an Observation's effective,
// else issued; a Procedure's performed; an Encounter's start; a medication span's start; an
// AllergyIntolerance's onset, else its recorded date) is left out of the model, so no criterion,
// "any time" ones included, ever sees it, and re-screening an old D gives that day's answer.
// A partial date that reaches D (`2026-10` with D in October 2026) may be on or before D: the
// record stays and the criteria read its range. A record with no date at all stays too.

import type { DayRange, IsoDay } from '../fhir/dates.js';

export function afterAsOf(date: DayRange | undefined, asOf: IsoDay): boolean {
  return date !== undefined && date.earliest > asOf;
}
