// Block `medication-within`: a record of a class whose span overlaps [D − N, D]. clearsOn is the
// first D whose window no longer holds the latest span end; none while one is ongoing or undated
// (an active record with no dates is current). A partial span across the window's edge, or a
// record with no date that is not active (exposure at an unknown time): unknown (open).

import Type, { type Static } from 'typebox';
import { spanOverlapsWindow } from '../../../fhir/dates.js';
import type { EligibilityModel, MedicationRecord } from '../../../mapping/model.js';
import { dateText, listText, medicationLabel } from '../../common/labels.js';
import { missingRecordDetail } from '../../common/missing-data.js';
import { latestDay } from '../../common/windows.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { Ids, lookback, Window } from '../params.js';
import { classRecords } from './medication-class.js';

export const MedicationWithinParams = Type.Object({ classes: Ids, within: Window, name: Type.Optional(Type.String({ minLength: 1 })) }, { additionalProperties: false });
export type MedicationWithinParams = Static<typeof MedicationWithinParams>;

function spanText(m: MedicationRecord): string {
  if (m.undated) return `${medicationLabel(m)}: active with no dates`;
  if (!m.start) return `${medicationLabel(m)}: no date`;
  return `${medicationLabel(m)}: ${dateText(m.start)} to ${m.ongoing ? 'ongoing' : dateText(m.end ?? m.start)}`;
}

export function medicationWithin(model: EligibilityModel, p: MedicationWithinParams): KitOutcome {
  const name = p.name ?? listText(p.classes);
  const window = lookback(model.asOf, p.within);
  const inside: MedicationRecord[] = [];
  const open: MedicationRecord[] = [];
  const outside: MedicationRecord[] = [];
  for (const m of classRecords(model, p.classes)) {
    if (m.undated) inside.push(m);
    else if (!m.start) open.push(m);
    else {
      const tri = spanOverlapsWindow(m.start, m.end ?? m.start, window.from, window.to);
      (tri === 'yes' ? inside : tri === 'maybe' ? open : outside).push(m);
    }
  }
  const windowText = `within ${window.label} before ${model.asOf} (${window.from} to ${window.to})`;
  if (inside.length > 0) {
    const ongoing = inside.some((m) => m.undated || m.ongoing);
    const dated = [...inside, ...open].filter((m) => m.start);
    const clearsOn = ongoing ? undefined : window.clearsAfter(latestDay(dated.map((m) => (m.end ?? m.start)!.latest)));
    const tail = clearsOn ? `; the window clears on ${clearsOn}` : '; it is ongoing at D';
    return kitDecided('met', `${name} ${windowText}: ${listText(inside.map(spanText))}${tail}`, inside.map((m) => m.ref), clearsOn);
  }
  if (open.length > 0) {
    return kitOpen(
      `${name} ${listText(open.map(spanText))} may or may not lie ${windowText}`,
      open.map((m) => missingRecordDetail(m.ref, `the exact dates of ${name} record ${m.ref}`)),
      open.map((m) => m.ref),
    );
  }
  const earlier = outside.length > 0 ? `; earlier only: ${listText(outside.map(spanText))}` : '';
  return kitDecided('not-met', `no ${name} ${windowText}${earlier}`, outside.map((m) => m.ref));
}
