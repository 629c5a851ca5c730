// Lab values: the value used is the most recent one on or before D within the
// criterion's look-back; older values are stale, which reads as missing. Results after D are
// not known at D and are ignored. Several results on the latest day are all returned: the
// criterion decides whether they agree.

import { rangeInWindow, type IsoDay } from '../../fhir/dates.js';
import type { EligibilityModel, LabResult } from '../../mapping/model.js';
import { labsOf } from './results-by-test.js';

export interface LatestLab {
  /** The results on the most recent date inside the window (empty when none). */
  latest: LabResult[];
  /** Results whose partial date straddles an edge of the window, so they may or may not count. */
  straddling: LabResult[];
  /** Results dated before the window, newest first. */
  stale: LabResult[];
  /** Results with no date at all. */
  undated: LabResult[];
}

const EARLIEST = '0001-01-01';

function newestFirst(a: LabResult, b: LabResult): number {
  const al = a.date!.latest;
  const bl = b.date!.latest;
  if (al !== bl) return al < bl ? 1 : -1;
  const ae = a.date!.earliest;
  const be = b.date!.earliest;
  return ae === be ? 0 : ae < be ? 1 : -1;
}

/**
 * `from` undefined means no look-back limit ("the latest HBsAg"); undated results then stand
 * in only when nothing dated exists, since they cannot be ordered against dated ones.
 */
export function latestLab(model: EligibilityModel, tests: string[], from?: IsoDay): LatestLab {
  const results = labsOf(model, tests);
  const undated = results.filter((l) => !l.date);
  const inside: LabResult[] = [];
  const straddling: LabResult[] = [];
  const stale: LabResult[] = [];
  for (const lab of results) {
    if (!lab.date) continue;
    const tri = rangeInWindow(lab.date, from ?? EARLIEST, model.asOf);
    if (tri === 'yes') inside.push(lab);
    else if (tri === 'maybe') straddling.push(lab);
    else if (lab.date.latest < (from ?? EARLIEST)) stale.push(lab);
  }
  inside.sort(newestFirst);
  stale.sort(newestFirst);
  let latest = inside.filter((l) => newestFirst(l, inside[0]!) === 0);
  if (latest.length === 0 && from === undefined && straddling.length === 0) latest = undated;
  return { latest, straddling, stale, undated };
}

/** The one positivity the latest results share, or `conflict` when they disagree. */
export function sharedPositivity(results: LabResult[]): LabResult['positivity'] | undefined {
  if (results.length === 0) return undefined;
  const kinds = new Set(results.map((r) => r.positivity));
  return kinds.size === 1 ? results[0]!.positivity : 'conflict';
}
