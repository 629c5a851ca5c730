// E13 (`exc-infection`): `met` if any of
//   (1) a suppressive or prophylactic anti-infective (TB incl. latent, pneumocystis, CMV, HSV,
//       VZV, atypical mycobacteria) is current at D and its course has run ≥ 28 days up to D, or
//       latent/active TB is an active condition while a TB agent is current;
//   (2) an inpatient encounter (class IMP, ACUTE, NONAC) for an infection within 60 days before D;
//   (3) a parenteral (IV, IM, or an injectable dose form with the route unknown) anti-infective
//       within 60 days before D.
// Closed. clearsOn when only (2)/(3) hold: the first day their 60-day windows no longer hold.

import { addDays, spanOverlapsWindow, type Tri } from '../../fhir/dates.js';
import type { EncounterRecord } from '../../mapping/model.js';
import { conditionsWith, isActiveCondition } from '../common/active-condition.js';
import { courseText } from '../common/course-labels.js';
import { weighingDoubtfulRecords } from '../common/doubtful-records.js';
import { conditionLabel, dateText, listText, medicationLabel } from '../common/labels.js';
import { tracksWithGroup } from '../common/medication-timeline.js';
import { medicationCounts } from '../common/medication-records.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import { daysWindow, latestDay } from '../common/windows.js';
import type { Criterion, MissingData } from '../types.js';
import { thresholdsOf } from './thresholds.js';

const INPATIENT = new Set(['IMP', 'ACUTE', 'NONAC']);
const PARENTERAL = new Set(['iv', 'im', 'parenteral']);

interface Hit {
  text: string;
  refs: string[];
  clearsOn?: string;
}

const asWritten: Criterion = {
  id: 'exc-infection',
  type: 'exclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['exc-infection'];
    const D = model.asOf;
    const hits: Hit[] = [];
    const open: { text: string; refs: string[]; missing: MissingData[] }[] = [];

    // (1) Suppressive anti-infectives current at D whose course has run ≥ 28 days.
    const runLimit = addDays(D, -th.suppressiveMinDays);
    for (const t of tracksWithGroup(model, 'suppressive-anti-infective')) {
      const c = t.current;
      if (!c) continue;
      const refs = c.records.map((m) => m.ref);
      const ran: Tri = !c.start ? 'maybe' : c.start.latest <= runLimit ? 'yes' : c.start.earliest <= runLimit ? 'maybe' : 'no';
      if (c.current === 'yes' && ran === 'yes') hits.push({ text: `suppressive/prophylactic ${courseText(c)} is current and has run at least ${th.suppressiveMinDays} days`, refs });
      else if (ran !== 'no') {
        open.push({ text: `${courseText(c)} may be a current course of at least ${th.suppressiveMinDays} days`, refs, missing: c.records.map((m) => missingRecordDetail(m.ref, `the exact dates of ${m.display} (${m.ref})`)) });
      }
    }
    const tbAgents = tracksWithGroup(model, 'tb-agent').filter((t) => t.current?.current === 'yes');
    const tb = conditionsWith(model, ['tb-active', 'tb-latent']).filter((d) => isActiveCondition(d, D));
    if (tb.length > 0 && tbAgents.length > 0) {
      hits.push({
        text: `tuberculosis active or latent (${listText(tb.map(conditionLabel))}) under treatment (${listText(tbAgents.map((t) => courseText(t.current!)))})`,
        refs: [...tb.map((d) => d.ref), ...tbAgents.flatMap((t) => t.current!.records.map((m) => m.ref))],
      });
    }

    // (2) Inpatient stay for an infection within 60 days.
    const stayWindow = daysWindow(D, th.inpatientDays);
    const stayText = (e: EncounterRecord) =>
      `${e.classCode ?? 'unknown class'} encounter ${e.ref} ${e.start ? dateText(e.start) : 'undated'}${e.end && e.start && e.end.latest !== e.start.latest ? ` to ${dateText(e.end)}` : ''} for ${listText(e.infectionReasons.map((r) => r.display ?? r.code))}`;
    for (const e of model.encounters) {
      const refs = [e.ref, ...e.reasonRefs];
      if (!e.start) {
        if (e.classCode === undefined || INPATIENT.has(e.classCode)) open.push({ text: `${stayText(e)} has no date`, refs, missing: [missingRecordDetail(e.ref, `the dates of encounter ${e.ref}`)] });
        continue;
      }
      const tri = spanOverlapsWindow(e.start, e.end ?? e.start, stayWindow.from, D);
      if (tri === 'no') continue;
      if (e.classCode !== undefined && !INPATIENT.has(e.classCode)) continue;
      if (e.classCode === undefined) {
        open.push({ text: `${stayText(e)} within ${stayWindow.label} may or may not be an inpatient stay`, refs, missing: [missingRecordDetail(e.ref, `the class (inpatient or not) of encounter ${e.ref}`)] });
      } else if (tri === 'yes') {
        const ongoing = !e.end || e.end.latest >= D;
        const h: Hit = { text: `inpatient stay for infection within ${stayWindow.label} before ${D}: ${stayText(e)}`, refs };
        if (!ongoing) h.clearsOn = stayWindow.clearsAfter((e.end ?? e.start).latest);
        hits.push(h);
      } else {
        open.push({ text: `${stayText(e)} may or may not lie within ${stayWindow.label} before ${D}`, refs, missing: [missingRecordDetail(e.ref, `the exact dates of encounter ${e.ref}`)] });
      }
    }

    // (3) Parenteral anti-infective within 60 days.
    const parWindow = daysWindow(D, th.parenteralDays);
    const seen = new Set<string>();
    for (const m of model.medications) {
      if (seen.has(m.ref) || !medicationCounts(m) || !m.groups.includes('anti-infective') || !m.route || !PARENTERAL.has(m.route)) continue;
      seen.add(m.ref);
      if (m.undated) {
        hits.push({ text: `parenteral anti-infective ${medicationLabel(m)} active with no dates (current)`, refs: [m.ref] });
        continue;
      }
      if (!m.start) {
        open.push({ text: `parenteral anti-infective ${medicationLabel(m)} has no date`, refs: [m.ref], missing: [missingRecordDetail(m.ref, `the date of ${m.display} (${m.ref})`)] });
        continue;
      }
      if (m.start.earliest > D) continue;
      const end = m.end ?? m.start;
      const tri = spanOverlapsWindow(m.start, end, parWindow.from, D);
      const route = m.route === 'parenteral' ? 'injectable, route not stated' : m.route.toUpperCase();
      if (tri === 'yes') {
        const h: Hit = { text: `parenteral anti-infective (${route}) within ${parWindow.label} before ${D}: ${medicationLabel(m)} ${dateText(m.start)}${m.ongoing ? ' (ongoing)' : ''}`, refs: [m.ref] };
        if (!m.ongoing) h.clearsOn = parWindow.clearsAfter(end.latest);
        hits.push(h);
      } else if (tri === 'maybe') {
        open.push({ text: `parenteral anti-infective ${medicationLabel(m)} may or may not lie within ${parWindow.label} before ${D}`, refs: [m.ref], missing: [missingRecordDetail(m.ref, `the exact dates of ${m.display} (${m.ref})`)] });
      }
    }

    if (hits.length > 0) {
      const clearsOn = hits.every((h) => h.clearsOn) ? latestDay(hits.map((h) => h.clearsOn!)) : undefined;
      const tail = clearsOn ? `; the window clears on ${clearsOn}` : '';
      return decided('met', `${listText(hits.map((h) => h.text))}${tail}`, hits.flatMap((h) => h.refs), clearsOn);
    }
    if (open.length > 0) return undecided(listText(open.map((o) => o.text)), { evidence: open.flatMap((o) => o.refs), missingData: open.flatMap((o) => o.missing) });
    return decided('not-met', `no current suppressive anti-infective course of ${th.suppressiveMinDays} days or more, no inpatient stay for infection and no parenteral anti-infective within ${th.inpatientDays} days before ${D}`);
  },
};

// records that may or may not be current at D: weighed both ways (doubtful-records.ts).
export const criterion: Criterion = weighingDoubtfulRecords(asWritten, ['possibly-current']);
