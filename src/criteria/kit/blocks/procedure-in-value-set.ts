// Block `procedure`: a Procedure whose code is in one of some value sets, performed at any time
// (no `within`) or within a window; clearsOn is the first D whose window no longer holds it.
// A procedure not done (status not-done, entered-in-error, preparation, stopped) or performed
// after D does not count. With a window, a performed date straddling its start, or none, is
// unknown (open); at any time, an undated procedure counts. Nothing counting: not-met (closed).

import Type, { type Static } from 'typebox';
import { rangeInWindow, minDay } from '../../../fhir/dates.js';
import type { EligibilityModel, ProcedureRecord } from '../../../mapping/model.js';
import { conditionLabel, dateText, listText } from '../../common/labels.js';
import { missingRecordDetail } from '../../common/missing-data.js';
import { procedureDone } from '../../common/procedure-done.js';
import { latestDay } from '../../common/windows.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { Ids, lookback, Window } from '../params.js';

export const ProcedureParams = Type.Object(
  { valueSets: Ids, name: Type.Optional(Type.String({ minLength: 1 })), within: Type.Optional(Window) },
  { additionalProperties: false },
);
export type ProcedureParams = Static<typeof ProcedureParams>;

function label(p: ProcedureRecord): string {
  return `${conditionLabel(p)}${p.start ? ` on ${dateText(p.start)}` : ' (undated)'}`;
}

export function procedure(model: EligibilityModel, p: ProcedureParams): KitOutcome {
  const name = p.name ?? listText(p.valueSets);
  const done = model.procedures.filter(
    (r) => r.concepts.some((c) => p.valueSets.includes(c)) && procedureDone(r) && !(r.start && r.start.earliest > model.asOf),
  );
  if (!p.within) {
    if (done.length > 0) return kitDecided('met', `${name} done: ${listText(done.map(label))}`, done.map((r) => r.ref));
    return kitDecided('not-met', `no ${name} on record`);
  }
  const window = lookback(model.asOf, p.within);
  const windowText = `within ${window.label} before ${model.asOf} (${window.from} or later)`;
  const inside = done.filter((r) => r.start && rangeInWindow(r.start, window.from, window.to) === 'yes');
  const straddling = done.filter((r) => r.start && rangeInWindow(r.start, window.from, window.to) === 'maybe');
  const undated = done.filter((r) => !r.start);
  if (inside.length > 0) {
    // A straddling one may be later than those inside: the window clears after both.
    const last = latestDay([...inside, ...straddling].map((r) => minDay(r.start!.latest, window.to)));
    const clearsOn = window.clearsAfter(last);
    return kitDecided('met', `${name} ${windowText}: ${listText(inside.map(label))}; the window clears on ${clearsOn}`, inside.map((r) => r.ref), clearsOn);
  }
  const open = [...straddling, ...undated];
  if (open.length > 0) {
    return kitOpen(
      `${name} ${listText(open.map(label))} may or may not lie ${windowText}`,
      open.map((r) => missingRecordDetail(r.ref, `the date of ${name} ${r.ref}`)),
      open.map((r) => r.ref),
    );
  }
  const earlier = done.length > 0 ? `; earlier only: ${listText(done.map(label))}` : '';
  return kitDecided('not-met', `no ${name} ${windowText}${earlier}`, done.map((r) => r.ref));
}
