// The latest screening date anyone may ask for: tomorrow in UTC. A later asOf would screen on
// data nobody has yet; the one day of grace lets a client east of UTC ask for its own today.
// Shared by $screen and the nightly finder, so both refuse the same dates.

import { addDays, type IsoDay } from './dates.js';

export function latestAsOf(todayUtc: IsoDay): IsoDay {
  return addDays(todayUtc, 1);
}

/** True when asOf (a valid YYYY-MM-DD) is after latestAsOf(todayUtc). */
export function isTooLateAsOf(asOf: IsoDay, todayUtc: IsoDay): boolean {
  return asOf > latestAsOf(todayUtc);
}
