// What changed since the previous complete run of the study, for the coordinators' morning:
// new candidates, new potential candidates, patients who became ineligible, each with the
// criteria whose result flipped; and patients held only by a time window that clears within a
// month of asOf ("who clears a washout this month").

import { addDays } from '../fhir/dates.js';
import type { RunPatientRow } from '../storage/run-store.js';

export type WorklistChange = 'new-candidate' | 'new-potential-candidate' | 'became-ineligible' | 'clears-window';

export interface FlippedCriterion {
  criterion: string;
  from: string | undefined;
  to: string;
}

export interface WorklistRow {
  change: WorklistChange;
  patient: string;
  researchSubject: string;
  status: string;
  previousStatus: string | undefined;
  eligibleFrom: string | undefined;
  flipped: FlippedCriterion[];
}

const LISTED = new Set(['candidate', 'potential-candidate']);
export const CLEARS_WITHIN_DAYS = 31;

export function worklistDiff(
  current: readonly RunPatientRow[],
  previous: readonly RunPatientRow[] | undefined,
  criteriaOrder: readonly string[],
  asOf: string,
): WorklistRow[] {
  const before = new Map((previous ?? []).map((r) => [r.patientRef, r]));
  const horizon = addDays(asOf, CLEARS_WITHIN_DAYS);
  const rows: WorklistRow[] = [];
  for (const row of current) {
    if (row.subjectId === undefined) continue; // not on the worklist at all (no diagnosis)
    const prior = before.get(row.patientRef);
    const previousStatus = prior?.subjectId === undefined ? undefined : prior.status;
    let change: WorklistChange | undefined;
    if (row.status === 'candidate' && previousStatus !== 'candidate') change = 'new-candidate';
    else if (row.status === 'potential-candidate' && previousStatus !== 'potential-candidate') change = 'new-potential-candidate';
    else if (row.status === 'ineligible' && previousStatus !== undefined && LISTED.has(previousStatus)) change = 'became-ineligible';
    else if (row.status === 'ineligible' && row.eligibleFrom !== undefined && row.eligibleFrom <= horizon) change = 'clears-window';
    if (!change) continue;
    const flipped: FlippedCriterion[] = [];
    if (prior) {
      for (const id of criteriaOrder) {
        const to = row.results[id];
        if (to !== undefined && prior.results[id] !== to) flipped.push({ criterion: id, from: prior.results[id], to });
      }
    }
    rows.push({
      change,
      patient: row.patientRef,
      researchSubject: row.subjectId,
      status: row.status,
      previousStatus,
      eligibleFrom: row.eligibleFrom,
      flipped,
    });
  }
  const order: WorklistChange[] = ['new-candidate', 'new-potential-candidate', 'became-ineligible', 'clears-window'];
  rows.sort((a, b) => order.indexOf(a.change) - order.indexOf(b.change) || a.patient.localeCompare(b.patient));
  return rows;
}

/** RFC 4180 CSV: a header, then one row per change; flipped criteria as `id:from>to;…`. */
export function worklistCsv(rows: readonly WorklistRow[]): string {
  const header = ['change', 'patient', 'researchSubject', 'status', 'previousStatus', 'eligibleFrom', 'flipped'];
  const lines = [header.join(',')];
  for (const r of rows) {
    const flipped = r.flipped.map((f) => `${f.criterion}:${f.from ?? ''}>${f.to}`).join(';');
    lines.push([r.change, r.patient, r.researchSubject, r.status, r.previousStatus ?? '', r.eligibleFrom ?? '', flipped].map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
