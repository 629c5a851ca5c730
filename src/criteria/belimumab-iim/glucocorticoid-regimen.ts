// The glucocorticoids as this study reads them, from the shared medication timeline
// (common/medication-timeline.ts), worked out once per model (model-memo.ts):
//
// Pulses (E8): IV glucocorticoid ≥ `pulseMethylprednisoloneMg` methylprednisolone-equivalent in
// one calendar day. Those records belong to E8 and never to I8's background regimen.
//
// Background (I8): the systemic glucocorticoids without the pulse records, one track per agent;
// a record naming two glucocorticoids goes to the first only, so it is never summed twice.

import { dayNumber, fromDayNumber, type IsoDay } from '../../fhir/dates.js';
import type { EligibilityModel, MedicationRecord } from '../../mapping/model.js';
import { byStart, timelineOf, trackOf, type Track } from '../common/medication-timeline.js';
import { memoOnModel } from '../common/model-memo.js';
import { thresholdsOf } from './thresholds.js';

export interface PulseDay {
  day: IsoDay;
  /** Methylprednisolone-equivalent mg given IV that day. */
  mgMethylprednisolone: number;
  refs: string[];
}

export interface GlucocorticoidRegimen {
  /** Glucocorticoid records that are pulses (E8), or part of a pulse day. */
  pulseRecords: Set<MedicationRecord>;
  pulseDays: PulseDay[];
  /** IV glucocorticoid records whose dose is unknown (a pulse cannot be ruled out). */
  ivGlucocorticoidUnknownDose: MedicationRecord[];
  /** I8's background regimen: one track per agent, pulses left out. */
  background: Track[];
}

export const glucocorticoidRegimenOf: (model: EligibilityModel) => GlucocorticoidRegimen = memoOnModel('glucocorticoid regimen', buildRegimen);

function buildRegimen(model: EligibilityModel): GlucocorticoidRegimen {
  const { tracks } = timelineOf(model);
  const pulses = findPulses(model, tracks);
  const background = new Map<string, MedicationRecord[]>();
  const placed = new Set<MedicationRecord>();
  for (const id of [...tracks.keys()].sort()) {
    for (const m of tracks.get(id)!.records) {
      if (placed.has(m) || !m.groups.includes('glucocorticoid') || pulses.pulseRecords.has(m) || !m.agents.includes(id)) continue;
      placed.add(m);
      const list = background.get(id) ?? [];
      list.push(m);
      background.set(id, list);
    }
  }
  return { ...pulses, background: [...background.entries()].map(([id, records]) => trackOf(model, id, records)) };
}

/** Methylprednisolone-equivalent mg per day of an IV glucocorticoid record, or undefined. */
function mpPerDay(m: MedicationRecord): number | undefined {
  if (m.prednisoneFactor === undefined) return undefined;
  const mg = Math.max(m.dose.dailyMg ?? 0, m.dose.perAdministrationMg ?? 0);
  if (mg <= 0) return undefined;
  return (mg * m.prednisoneFactor) / 1.25;
}

function findPulses(model: EligibilityModel, tracks: Map<string, Track>): Omit<GlucocorticoidRegimen, 'background'> {
  const limit = thresholdsOf(model)['exc-ivig-or-pulse-steroids'].pulseMethylprednisoloneMg;
  const seen = new Set<MedicationRecord>();
  const iv: MedicationRecord[] = [];
  for (const t of tracks.values()) {
    for (const m of t.records) {
      if (seen.has(m) || !m.groups.includes('glucocorticoid') || m.route !== 'iv') continue;
      seen.add(m);
      iv.push(m);
    }
  }
  iv.sort(byStart);
  const pulseRecords = new Set<MedicationRecord>();
  const unknownDose = iv.filter((m) => mpPerDay(m) === undefined);
  // A record whose own daily dose reaches the limit is a pulse on every day of its span.
  for (const m of iv) if ((mpPerDay(m) ?? 0) >= limit - 1e-9) pulseRecords.add(m);
  // Days: every dated day of an IV record, up to 400 days of span each (pulses are short).
  const days = new Map<IsoDay, { mg: number; refs: string[]; records: MedicationRecord[] }>();
  for (const m of iv) {
    const mg = mpPerDay(m);
    if (mg === undefined || !m.start || m.start.earliest !== m.start.latest) continue;
    const from = dayNumber(m.start.earliest);
    const to = Math.min(dayNumber((m.end ?? m.start).latest), dayNumber(model.asOf), from + 400);
    for (let d = from; d <= to; d++) {
      const day = fromDayNumber(d);
      const entry = days.get(day) ?? { mg: 0, refs: [], records: [] };
      entry.mg += mg;
      if (!entry.refs.includes(m.ref)) entry.refs.push(m.ref);
      entry.records.push(m);
      days.set(day, entry);
    }
  }
  const pulseDays: PulseDay[] = [];
  for (const [day, e] of [...days.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (e.mg < limit - 1e-9) continue;
    pulseDays.push({ day, mgMethylprednisolone: Math.round(e.mg * 100) / 100, refs: [...e.refs].sort() });
    for (const m of e.records) pulseRecords.add(m);
  }
  return { pulseRecords, pulseDays, ivGlucocorticoidUnknownDose: unknownDose };
}
