// E6/E7: "met if any <agent> record's span overlaps [D − N days, D]". clearsOn is the day after
// the span's last day plus N days; an ongoing or undated record has no clearing day. A record
// with no date at all (and not active) is exposure at an unknown time: unknown, not met.

import { spanOverlapsWindow } from '../../fhir/dates.js';
import type { EligibilityModel, MedicationRecord } from '../../mapping/model.js';
import type { Criterion, CriterionOutcome } from '../types.js';
import { dateText, listText, medicationLabel } from './labels.js';
import { medicationsOf } from './medication-records.js';
import { missingRecordDetail } from './missing-data.js';
import { decided, undecided } from './outcome.js';
import { daysWindow, latestDay } from './windows.js';

function spanText(m: MedicationRecord): string {
  if (m.undated) return 'active with no dates (current, start unknown)';
  if (!m.start) return 'no date';
  const end = m.end ?? m.start;
  const endText = m.ongoing ? 'ongoing' : dateText(end);
  return m.start.earliest === end.earliest && m.start.latest === end.latest && !m.ongoing
    ? dateText(m.start)
    : `${dateText(m.start)} to ${endText}`;
}

export function medicationWindowCriterion(
  id: string,
  agent: string,
  windowDays: (model: EligibilityModel) => number,
): Criterion {
  return {
    id,
    type: 'exclusion',
    evaluate(model: EligibilityModel): CriterionOutcome {
      const window = daysWindow(model.asOf, windowDays(model));
      const inside: MedicationRecord[] = [];
      const straddling: MedicationRecord[] = [];
      const undatedPast: MedicationRecord[] = [];
      const outside: MedicationRecord[] = [];
      for (const m of medicationsOf(model, agent)) {
        if (m.undated) {
          inside.push(m);
          continue;
        }
        if (!m.start) {
          undatedPast.push(m);
          continue;
        }
        const tri = spanOverlapsWindow(m.start, m.end ?? m.start, window.from, window.to);
        if (tri === 'yes') inside.push(m);
        else if (tri === 'maybe') straddling.push(m);
        else outside.push(m);
      }
      const windowText = `the ${window.label} before ${model.asOf} (${window.from} to ${window.to})`;
      if (inside.length > 0) {
        const items = inside.map((m) => `${medicationLabel(m)}: ${spanText(m)}`);
        const open = inside.some((m) => m.undated || m.ongoing);
        // A straddling record may end later than the inside ones; the window clears after both.
        const clearsOn = open
          ? undefined
          : window.clearsAfter(latestDay([...inside, ...straddling].map((m) => (m.end ?? m.start)!.latest)));
        const tail = clearsOn ? `; the window clears on ${clearsOn}` : open ? '; it is ongoing at D' : '';
        return decided('met', `${agent} within ${windowText}: ${listText(items)}${tail}`, inside.map((m) => m.ref), clearsOn);
      }
      if (straddling.length > 0 || undatedPast.length > 0) {
        const items = [
          ...straddling.map((m) => `${medicationLabel(m)} (${spanText(m)}) may or may not overlap ${windowText}`),
          ...undatedPast.map((m) => `${medicationLabel(m)} has no date`),
        ];
        return undecided(`${listText(items)}`, {
          evidence: [...straddling, ...undatedPast].map((m) => m.ref),
          missingData: [...straddling, ...undatedPast].map((m) =>
            missingRecordDetail(m.ref, `the exact dates of ${agent} record ${m.ref}`),
          ),
        });
      }
      if (outside.length > 0) {
        const items = outside.map((m) => `${medicationLabel(m)}: ${spanText(m)}`);
        return decided('not-met', `no ${agent} within ${windowText}; earlier or later records only: ${listText(items)}`, outside.map((m) => m.ref));
      }
      return decided('not-met', `no ${agent} on record`);
    },
  };
}
