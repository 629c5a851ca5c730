// E5 (`exc-is-discontinued-3m`): `met` if azathioprine, methotrexate, mycophenolate, leflunomide,
// tacrolimus, cyclosporine or IVIG was stopped within 3 months before D: its last course ended
// in [D − 3 months, D] and the agent is not current at D ("stopped" reads courses, so a renewal
// is not a stop). Closed. clearsOn: the first day the window no longer holds the course's end.
// A record with no date at all, or an end straddling the window, gives `unknown`.

import { rangeInWindow } from '../../fhir/dates.js';
import { courseText } from '../common/course-labels.js';
import { weighingDoubtfulRecords } from '../common/doubtful-records.js';
import { listText, medicationLabel } from '../common/labels.js';
import { IVIG_TRACK, track } from '../common/medication-timeline.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { latestDay, monthsWindow } from '../common/windows.js';
import type { Criterion, MissingData } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const E5_TRACKS = ['azathioprine', 'methotrexate', 'mycophenolate', 'leflunomide', 'tacrolimus', 'cyclosporine', IVIG_TRACK];

const asWritten: Criterion = {
  id: 'exc-is-discontinued-3m',
  type: 'exclusion',
  evaluate(model) {
    const D = model.asOf;
    const window = monthsWindow(D, thresholdsOf(model)['exc-is-discontinued-3m'].months);
    const windowText = `within ${window.label} before ${D} (${window.from} to ${D})`;
    const stopped: { text: string; refs: string[]; lastDay: string }[] = [];
    const open: { text: string; refs: string[]; missing: MissingData[] }[] = [];
    const other: string[] = [];
    const otherRefs: string[] = [];
    for (const id of E5_TRACKS) {
      const t = track(model, id);
      if (t.records.length === 0) continue;
      for (const m of t.undatedPast) {
        open.push({ text: `${medicationLabel(m)} has no date`, refs: [m.ref], missing: [missingRecordDetail(m.ref, `the dates of ${m.display} (${m.ref})`)] });
      }
      const last = t.courses[t.courses.length - 1];
      if (!last) continue;
      const refs = last.records.map((m) => m.ref);
      if (last.current === 'yes') {
        other.push(`${courseText(last)} is current at ${D}`);
        otherRefs.push(...refs);
        continue;
      }
      const end = last.end!;
      const tri = last.current === 'maybe' ? 'maybe' : rangeInWindow(end, window.from, D);
      if (tri === 'yes') stopped.push({ text: `${courseText(last)} ended ${windowText}`, refs, lastDay: end.latest });
      else if (tri === 'maybe') {
        open.push({
          text: `${courseText(last)} may or may not have stopped ${windowText}`,
          refs,
          missing: last.records.map((m) => missingRecordDetail(m.ref, `the exact end date of ${m.display} (${m.ref})`)),
        });
      } else {
        other.push(`${courseText(last)} ended before ${window.from}`);
        otherRefs.push(...refs);
      }
    }
    if (stopped.length > 0) {
      const clearsOn = window.clearsAfter(latestDay(stopped.map((s) => s.lastDay)));
      return decided('met', `stopped ${windowText}: ${listText(stopped.map((s) => s.text))}; the window clears on ${clearsOn}`, stopped.flatMap((s) => s.refs), clearsOn);
    }
    if (open.length > 0) {
      return undecided(listText(open.map((o) => o.text)), { evidence: open.flatMap((o) => o.refs), missingData: open.flatMap((o) => o.missing) });
    }
    if (other.length > 0) return decided('not-met', `no immunosuppressant or IVIG stopped ${windowText}: ${listText(other)}`, otherRefs);
    return decided('not-met', 'no azathioprine, methotrexate, mycophenolate, leflunomide, tacrolimus, cyclosporine or IVIG on record');
  },
};

// records that may or may not be current at D: weighed both ways (doubtful-records.ts).
export const criterion: Criterion = weighingDoubtfulRecords(asWritten, ['possibly-current']);
