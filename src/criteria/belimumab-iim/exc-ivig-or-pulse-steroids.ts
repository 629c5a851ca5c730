// E8 (`exc-ivig-or-pulse-steroids`): `met` if the current IVIG course (see Courses) started
// within 3 months before D, or pulse glucocorticoids (IV route, ≥ 250 mg methylprednisolone-
// equivalent in one calendar day) were given within 2 months before D. Closed.
// clearsOn: the later of "course start + 3 months" and "last pulse day + 2 months" (+1 day).
// Parenteral with the route unknown (dose-form words only) is not enough to call a dose a pulse
// (a pulse is IV). An IV glucocorticoid in the window whose dose is unknown: `unknown`.

import { rangeInWindow, spanOverlapsWindow } from '../../fhir/dates.js';
import { courseText } from '../common/course-labels.js';
import { weighingDoubtfulRecords } from '../common/doubtful-records.js';
import { dateText, listText, medicationLabel } from '../common/labels.js';
import { IVIG_TRACK, track } from '../common/medication-timeline.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { latestDay, monthsWindow } from '../common/windows.js';
import type { Criterion, MissingData } from '../types.js';
import { glucocorticoidRegimenOf } from './glucocorticoid-regimen.js';
import { thresholdsOf } from './thresholds.js';

const asWritten: Criterion = {
  id: 'exc-ivig-or-pulse-steroids',
  type: 'exclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['exc-ivig-or-pulse-steroids'];
    const D = model.asOf;
    const ivigWindow = monthsWindow(D, th.ivigMonths);
    const pulseWindow = monthsWindow(D, th.pulseMonths);
    const hits: { text: string; refs: string[]; clearsOn?: string }[] = [];
    const open: { text: string; refs: string[]; missing: MissingData[] }[] = [];
    const notes: string[] = [];

    const ivig = track(model, IVIG_TRACK).current;
    if (ivig) {
      const refs = ivig.records.map((m) => m.ref);
      const text = courseText(ivig);
      const tri = ivig.start ? rangeInWindow(ivig.start, ivigWindow.from, D) : 'maybe';
      if (ivig.current === 'yes' && tri === 'yes') {
        hits.push({ text: `current IVIG course started within ${ivigWindow.label} before ${D} (since ${ivigWindow.from}): ${text}`, refs, clearsOn: ivigWindow.clearsAfter(ivig.start!.latest) });
      } else if (tri !== 'no') {
        open.push({
          text: `IVIG course ${text} may have started within ${ivigWindow.label} before ${D} or may not be current`,
          refs,
          missing: ivig.records.map((m) => missingRecordDetail(m.ref, `the exact dates of ${m.display} (${m.ref})`)),
        });
      } else notes.push(`current IVIG course started ${dateText(ivig.start!)}, before ${ivigWindow.from}`);
    }

    const timeline = glucocorticoidRegimenOf(model);
    const pulses = timeline.pulseDays.filter((p) => p.day >= pulseWindow.from && p.day <= D);
    if (pulses.length > 0) {
      const last = latestDay(pulses.map((p) => p.day));
      const items = pulses.map((p) => `${p.day}: ${p.mgMethylprednisolone} mg methylprednisolone-equivalent IV (${p.refs.join(', ')})`);
      hits.push({ text: `pulse glucocorticoids within ${pulseWindow.label} before ${D} (since ${pulseWindow.from}): ${listText(items)}`, refs: pulses.flatMap((p) => p.refs), clearsOn: pulseWindow.clearsAfter(last) });
    } else {
      // Pulse records with a partial date straddling the window, and IV doses that are unknown.
      const uncertain = [...timeline.pulseRecords, ...timeline.ivGlucocorticoidUnknownDose].filter((m) => {
        if (!m.start) return m.undated;
        return spanOverlapsWindow(m.start, m.end ?? m.start, pulseWindow.from, D) !== 'no';
      });
      const unique = [...new Set(uncertain)];
      if (unique.length > 0) {
        open.push({
          text: `IV glucocorticoid within ${pulseWindow.label} before ${D} whose daily dose or date cannot be read: ${listText(unique.map(medicationLabel))}`,
          refs: unique.map((m) => m.ref),
          missing: unique.map((m) => missingRecordDetail(m.ref, `the dose and date of ${m.display} (${m.ref})`)),
        });
      }
      const older = timeline.pulseDays.filter((p) => p.day < pulseWindow.from);
      if (older.length > 0) notes.push(`last pulse on ${latestDay(older.map((p) => p.day))}, before ${pulseWindow.from}`);
    }

    if (hits.length > 0) {
      const clearsOn = hits.every((h) => h.clearsOn) ? latestDay(hits.map((h) => h.clearsOn!)) : undefined;
      const tail = clearsOn ? `; the window clears on ${clearsOn}` : '';
      return decided('met', `${listText(hits.map((h) => h.text))}${tail}`, hits.flatMap((h) => h.refs), clearsOn);
    }
    if (open.length > 0) return undecided(listText(open.map((o) => o.text)), { evidence: open.flatMap((o) => o.refs), missingData: open.flatMap((o) => o.missing) });
    const tail = notes.length > 0 ? `: ${listText(notes)}` : '';
    return decided('not-met', `no IVIG course started within ${ivigWindow.label} and no pulse glucocorticoids within ${pulseWindow.label} before ${D}${tail}`);
  },
};

// records that may or may not be current at D: weighed both ways (doubtful-records.ts).
export const criterion: Criterion = weighingDoubtfulRecords(asWritten, ['possibly-current']);
