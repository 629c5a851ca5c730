// I9 (`inc-stable-immunosuppressant`): each current azathioprine, mycophenolate (mofetil or
// mycophenolic acid), tacrolimus or cyclosporine must have started, at its present dose, more
// than 2 months before D; a current IVIG regimen at least 3 months before D; else `not-met`.
// None current: `met`. Open: current but start unknown → `unknown`. "Current regimen" reads
// courses (medication-timeline.ts): a renewal at the same dose is not a new start.

import { addMonths } from '../../fhir/dates.js';
import { agentName, courseText } from '../common/course-labels.js';
import { weighingDoubtfulRecords } from '../common/doubtful-records.js';
import { dateText, listText } from '../common/labels.js';
import { doseHistory, doseStart, IVIG_TRACK, track, type Track } from '../common/medication-timeline.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion, MissingData } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const I9_AGENTS = ['azathioprine', 'mycophenolate', 'tacrolimus', 'cyclosporine'];

interface Reading {
  state: 'ok' | 'recent' | 'unknown';
  text: string;
  refs: string[];
  missing: MissingData[];
}

const asWritten: Criterion = {
  id: 'inc-stable-immunosuppressant',
  type: 'inclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['inc-stable-immunosuppressant'];
    const D = model.asOf;
    const isLimit = addMonths(D, -th.stableMonths);
    const ivigLimit = addMonths(D, -th.ivigStableMonths);
    const readings: Reading[] = [];

    const dateMissing = (t: Track): MissingData[] =>
      t.current!.records.filter((m) => m.undated || (m.start && m.start.earliest !== m.start.latest)).map((m) => missingRecordDetail(m.ref, `the start date of ${m.display} (${m.ref})`));

    for (const agent of I9_AGENTS) {
      const t = track(model, agent);
      if (!t.current) continue;
      const course = t.current;
      const refs = course.records.map((m) => m.ref);
      const text = courseText(course);
      if (course.current === 'maybe') {
        readings.push({ state: 'unknown', text: `${text} may or may not be current at ${D}`, refs, missing: course.records.map((m) => missingRecordDetail(m.ref, `the exact dates of ${m.display} (${m.ref})`)) });
        continue;
      }
      const start = doseStart(doseHistory([t], D, (m) => m.dose.dailyMg), D);
      if (!start.began) {
        readings.push({ state: 'unknown', text: `${text}: its start is unknown`, refs, missing: dateMissing(t) });
      } else if (start.began >= isLimit) {
        readings.push({ state: 'recent', text: `${text}: the present dose began on ${start.began}, not more than ${th.stableMonths} months before ${D} (before ${isLimit} needed)`, refs, missing: [] });
      } else if (start.mayHaveChangedOn && start.mayHaveChangedOn >= isLimit) {
        readings.push({
          state: 'unknown',
          text: `${text}: the dose may have changed on ${start.mayHaveChangedOn} (a record of unknown dose)`,
          refs,
          missing: course.records.filter((m) => m.dose.dailyMg === undefined).map((m) => missingRecordDetail(m.ref, `the dose of ${m.display} (${m.ref})`)),
        });
      } else {
        readings.push({ state: 'ok', text: `${text}: present dose since ${start.began} (before ${isLimit})`, refs, missing: [] });
      }
    }

    const ivig = track(model, IVIG_TRACK);
    if (ivig.current) {
      const course = ivig.current;
      const refs = course.records.map((m) => m.ref);
      const text = courseText(course);
      if (!course.start) readings.push({ state: 'unknown', text: `${text}: its start is unknown`, refs, missing: dateMissing(ivig) });
      else if (course.current === 'maybe') {
        readings.push({ state: 'unknown', text: `${text} may or may not be current at ${D}`, refs, missing: course.records.map((m) => missingRecordDetail(m.ref, `the exact dates of ${m.display} (${m.ref})`)) });
      } else if (course.start.latest <= ivigLimit) {
        readings.push({ state: 'ok', text: `${text}: regimen started ${dateText(course.start)} (on or before ${ivigLimit})`, refs, missing: [] });
      } else if (course.start.earliest > ivigLimit) {
        readings.push({ state: 'recent', text: `${text}: regimen started ${dateText(course.start)}, less than ${th.ivigStableMonths} months before ${D} (on or before ${ivigLimit} needed)`, refs, missing: [] });
      } else {
        readings.push({ state: 'unknown', text: `${text}: its start ${dateText(course.start)} may or may not be on or before ${ivigLimit}`, refs, missing: dateMissing(ivig) });
      }
    }

    if (readings.length === 0) {
      const names = listText([...I9_AGENTS.map(agentName), 'IVIG']);
      return decided('met', `none of ${names} is current at ${D}`);
    }
    const recent = readings.filter((r) => r.state === 'recent');
    if (recent.length > 0) return decided('not-met', listText(recent.map((r) => r.text)), recent.flatMap((r) => r.refs));
    const unknown = readings.filter((r) => r.state === 'unknown');
    if (unknown.length > 0) {
      return undecided(listText(unknown.map((r) => r.text)), { evidence: unknown.flatMap((r) => r.refs), missingData: unknown.flatMap((r) => r.missing) });
    }
    return decided('met', `stable: ${listText(readings.map((r) => r.text))}`, readings.flatMap((r) => r.refs));
  },
};

// records that may or may not be current at D: weighed both ways (doubtful-records.ts).
export const criterion: Criterion = weighingDoubtfulRecords(asWritten, ['possibly-current']);
