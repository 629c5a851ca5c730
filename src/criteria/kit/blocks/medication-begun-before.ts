// Block `medication-begun-before`: a medication of a class is current at D and every current
// course of it began on or before D − N days (`atLeastDays: N`). A current course begun later:
// not-met, clearsOn the first D on which every such course is N days old (its latest possible
// start + N). A current course whose start is unknown (an active record with no dates) or
// partial across D − N, or one only possibly current: unknown (open). None current: not-met.
// `note` is added to the reason when met (what the record cannot tell: dose stability).

import Type, { type Static } from 'typebox';
import { addDays, type IsoDay } from '../../../fhir/dates.js';
import type { EligibilityModel } from '../../../mapping/model.js';
import { dateText, listText, medicationLabel } from '../../common/labels.js';
import type { Course } from '../../common/medication-timeline.js';
import { missingRecordDetail } from '../../common/missing-data.js';
import { latestDay } from '../../common/windows.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { Ids } from '../params.js';
import { classTracks } from './medication-class.js';

export const MedicationBegunBeforeParams = Type.Object(
  {
    classes: Ids,
    atLeastDays: Type.Integer({ minimum: 0 }),
    name: Type.Optional(Type.String({ minLength: 1 })),
    note: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);
export type MedicationBegunBeforeParams = Static<typeof MedicationBegunBeforeParams>;

type StartReading = 'long-enough' | 'too-recent' | 'unknown';

function startOf(course: Course, limit: IsoDay): StartReading {
  if (course.start && course.start.latest <= limit) return 'long-enough';
  // An active record with no dates may have begun at any time, as may a partial start across the limit.
  if (!course.start || course.hasUndated) return 'unknown';
  return course.start.earliest > limit ? 'too-recent' : 'unknown';
}

function courseText(c: Course): string {
  const start = c.start ? `begun ${dateText(c.start)}` : 'start unknown';
  return `${listText(c.records.map(medicationLabel))} (${start})`;
}

export function medicationBegunBefore(model: EligibilityModel, p: MedicationBegunBeforeParams): KitOutcome {
  const name = p.name ?? listText(p.classes);
  const limit = addDays(model.asOf, -p.atLeastDays);
  const courses = classTracks(model, p.classes).flatMap((t) => (t.current ? [t.current] : []));
  if (courses.length === 0) return kitDecided('not-met', `no ${name} current at ${model.asOf}`);
  const readings = courses.map((c) => ({ c, start: startOf(c, limit), sure: c.current === 'yes' }));
  const recent = readings.filter((r) => r.sure && r.start === 'too-recent');
  const refs = (rs: typeof readings) => rs.flatMap((r) => r.c.records.map((m) => m.ref));
  if (recent.length > 0) {
    const clearsOn = addDays(latestDay(recent.map((r) => r.c.start!.latest)), p.atLeastDays);
    return kitDecided(
      'not-met',
      `${name} begun less than ${p.atLeastDays} days before ${model.asOf} (after ${limit}): ${listText(recent.map((r) => courseText(r.c)))}; it will have run ${p.atLeastDays} days on ${clearsOn}`,
      refs(recent),
      clearsOn,
    );
  }
  const open = readings.filter((r) => !r.sure || r.start !== 'long-enough');
  if (open.length > 0) {
    const why = (r: (typeof readings)[number]) => (r.sure ? `${courseText(r.c)}: start unknown or partial across ${limit}` : `${courseText(r.c)}: possibly current`);
    return kitOpen(
      `${name}: ${listText(open.map(why))}`,
      open.flatMap((r) => r.c.records.map((m) => missingRecordDetail(m.ref, `the start date of ${name} record ${m.ref}`))),
      refs(open),
    );
  }
  const note = p.note ? `; ${p.note}` : '';
  return kitDecided('met', `${name} current and begun on or before ${limit} (${p.atLeastDays} days before ${model.asOf}): ${listText(readings.map((r) => courseText(r.c)))}${note}`, refs(readings));
}
