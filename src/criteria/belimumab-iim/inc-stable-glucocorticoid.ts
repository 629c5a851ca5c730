// I8 (`inc-stable-glucocorticoid`): if a systemic glucocorticoid is current at D, its daily
// prednisone-equivalent dose (summed over current glucocorticoids; where records of one
// ingredient overlap, the later-starting record's dose applies) must be < 15 mg, and the current
// dose must have begun on or before D − 14 days (a renewal at the same dose is not a change);
// else `not-met`. None current: `met`. Open: current but dose (or its start) unknown → unknown.
// Pulses (IV, ≥ 250 mg methylprednisolone-equivalent a day) are E8's and never counted here.

import { addDays, dayNumber, type IsoDay } from '../../fhir/dates.js';
import type { MedicationRecord } from '../../mapping/model.js';
import { courseText, doseValueText } from '../common/course-labels.js';
import { weighingDoubtfulRecords } from '../common/doubtful-records.js';
import { listText } from '../common/labels.js';
import { doseHistory, doseStart } from '../common/medication-timeline.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';
import { glucocorticoidRegimenOf } from './glucocorticoid-regimen.js';
import { thresholdsOf } from './thresholds.js';

/** Prednisone-equivalent mg per day of a record (medications.yaml), or undefined when unknown. */
export function prednisoneMgPerDay(m: MedicationRecord): number | undefined {
  if (m.dose.dailyMg === undefined || m.prednisoneFactor === undefined) return undefined;
  return m.dose.dailyMg * m.prednisoneFactor;
}

const asWritten: Criterion = {
  id: 'inc-stable-glucocorticoid',
  type: 'inclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['inc-stable-glucocorticoid'];
    const D: IsoDay = model.asOf;
    const tracks = glucocorticoidRegimenOf(model).background;
    const current = tracks.filter((t) => t.current);
    if (current.length === 0) return decided('met', `no systemic glucocorticoid is current at ${D} (no background therapy to be unstable)`);
    const courses = current.map((t) => t.current!);
    const records = courses.flatMap((c) => c.records);
    const refs = records.map((m) => m.ref);
    const what = listText(courses.map(courseText));
    const maybe = courses.filter((c) => c.current === 'maybe');

    const history = doseHistory(tracks, D, prednisoneMgPerDay);
    const start = doseStart(history, D);
    const value = start.value;
    const limit = th.maxDailyPrednisoneMg;
    const doseText = `${doseValueText(value, records)} prednisone-equivalent`;
    if (value.mg >= limit - 1e-9) {
      return decided('not-met', `current glucocorticoid dose ${doseText} is not below ${limit} mg/day: ${what}`, refs);
    }
    if (maybe.length > 0 && maybe.length === courses.length) {
      return undecided(`a glucocorticoid may or may not be current at ${D} (a partial date): ${what}`, {
        evidence: refs,
        missingData: maybe.flatMap((c) => c.records).map((m) => missingRecordDetail(m.ref, `the exact dates of ${m.display} (${m.ref})`)),
      });
    }
    if (value.unknown.length > 0) {
      return undecided(`a glucocorticoid is current at ${D} but its dose is ${doseValueText(value, records)}: ${what}`, {
        evidence: refs,
        missingData: value.unknown.map((ref) => missingRecordDetail(ref, `the dose and frequency of glucocorticoid record ${ref}`)),
      });
    }
    const stableBy = addDays(D, -th.stableDays);
    if (start.began && start.began > stableBy) {
      const days = dayNumber(D) - dayNumber(start.began);
      return decided('not-met', `the current glucocorticoid dose (${doseText}) began on ${start.began}, ${days} days before ${D}: it must have begun on or before ${stableBy} (${th.stableDays} days): ${what}`, refs);
    }
    if (!start.began) {
      return undecided(`current glucocorticoid ${doseText} is below ${limit} mg/day, but when this dose began is unknown (an active record with no dates): ${what}`, {
        evidence: refs,
        missingData: records.filter((m) => m.undated).map((m) => missingRecordDetail(m.ref, `the start date of ${m.display} (${m.ref})`)),
      });
    }
    if (start.mayHaveChangedOn && start.mayHaveChangedOn > stableBy) {
      return undecided(`current glucocorticoid ${doseText} is below ${limit} mg/day, but the dose may have changed on ${start.mayHaveChangedOn} (a record of unknown dose): ${what}`, {
        evidence: refs,
        missingData: records.filter((m) => prednisoneMgPerDay(m) === undefined).map((m) => missingRecordDetail(m.ref, `the dose of ${m.display} (${m.ref})`)),
      });
    }
    if (maybe.length > 0) {
      return undecided(`the definite current glucocorticoid dose is ${doseText}, but another may or may not be current at ${D}: ${what}`, {
        evidence: refs,
        missingData: maybe.flatMap((c) => c.records).map((m) => missingRecordDetail(m.ref, `the exact dates of ${m.display} (${m.ref})`)),
      });
    }
    return decided('met', `current glucocorticoid dose ${doseText} (below ${limit} mg/day), unchanged since ${start.began} (on or before ${stableBy}): ${what}`, refs);
  },
};

// records that may or may not be current at D, and glucocorticoids with no route: weighed both ways (doubtful-records.ts).
export const criterion: Criterion = weighingDoubtfulRecords(asWritten, ['possibly-current', 'possibly-systemic']);
