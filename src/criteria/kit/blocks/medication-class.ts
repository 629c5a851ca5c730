// Which medication records and timeline tracks belong to a class. A class id is matched against
// a record's groups (medications.yaml classes: `ace-inhibitor`, `arb`) and its agents,
// so a block can name one ingredient as well. Records that do not count are left out.

import type { EligibilityModel, MedicationRecord } from '../../../mapping/model.js';
import { medicationCounts } from '../../common/medication-records.js';
import { IVIG_TRACK, timelineOf, type Track } from '../../common/medication-timeline.js';

export function inClass(m: MedicationRecord, classes: readonly string[]): boolean {
  return classes.some((c) => m.groups.includes(c) || m.agents.includes(c));
}

/** Counting records of the class that had started by D (or carry no start). */
export function classRecords(model: EligibilityModel, classes: readonly string[]): MedicationRecord[] {
  return model.medications.filter((m) => medicationCounts(m) && inClass(m, classes) && !(m.start && m.start.earliest > model.asOf));
}

/** Timeline tracks (one per agent) holding records of the class, by id. */
export function classTracks(model: EligibilityModel, classes: readonly string[]): Track[] {
  const out: Track[] = [];
  for (const t of timelineOf(model).tracks.values()) {
    if (t.id === IVIG_TRACK && !classes.includes(IVIG_TRACK)) continue;
    if (t.records.some((m) => inClass(m, classes))) out.push(t);
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
