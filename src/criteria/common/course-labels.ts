// How courses and doses are named in reasons: the agent, the records that make the course, and
// its dates as written (a partial date stays partial).

import type { DayRange } from '../../fhir/dates.js';
import type { MedicationRecord } from '../../mapping/model.js';
import { dateText, listText, medicationLabel } from './labels.js';
import type { Course, DoseValue } from './medication-timeline.js';

export function agentName(track: string): string {
  if (track === 'ivig') return 'IVIG';
  if (track.startsWith('drug:')) return track.slice(5);
  return track.replace(/-/g, ' ');
}

/** `2025-01-01 to ongoing`, `2024-03 to 2024-09-30`, `start unknown (active, no dates)`. */
export function courseSpanText(course: Course): string {
  const ongoing = course.records.some((m) => m.ongoing || m.undated);
  if (!course.start) return 'current, start unknown (an active record with no dates)';
  const end = ongoing ? 'ongoing' : dateText(course.end as DayRange);
  const first = dateText(course.start);
  if (course.administrationsOnly) {
    const n = course.records.length;
    return n === 1 ? `given ${first}` : `${n} administrations, ${first} to ${dateText(course.end as DayRange)}`;
  }
  return first === end ? first : `${first} to ${end}`;
}

export function courseText(course: Course): string {
  const records = listText(course.records.map(medicationLabel));
  return `${agentName(course.track)} ${courseSpanText(course)} (${records})`;
}

export function mgText(mg: number): string {
  return `${Math.round(mg * 100) / 100} mg`;
}

export function doseValueText(value: DoseValue, records: MedicationRecord[]): string {
  if (value.unknown.length === 0) return `${mgText(value.mg)}/day`;
  const why = value.unknown
    .map((ref) => {
      const m = records.find((r) => r.ref === ref);
      const problem = m?.dose.problem ?? (m && m.prednisoneFactor === undefined && m.groups.includes('glucocorticoid') ? 'no prednisone factor for a combination' : 'dose not stated');
      return `${ref}: ${problem}`;
    })
    .join('; ');
  return value.mg > 0 ? `at least ${mgText(value.mg)}/day (dose unknown for ${why})` : `unknown (${why})`;
}
