// I4 (`inc-refractory`): `met` if, before D, the patient had ≥ 3 months of systemic
// glucocorticoid (the class as a whole, pulses included), or ≥ 3 months of one of azathioprine,
// methotrexate, mycophenolate, leflunomide, tacrolimus, cyclosporine, cyclophosphamide,
// rituximab, IVIG (span from first start to last end, or to D if ongoing; rituximab: a first
// infusion at least 3 months before D); or a documented intolerance to one of them (an
// AllergyIntolerance to the agent, or a record stopped for an adverse reaction). `not-met`,
// whatever the treatment, if the earliest onset of a condition that counts for `inc-diagnosis`
// is less than 3 months before D. Open: otherwise `unknown` (treatment may lie outside this record).

import { addMonths, minDay, type DayRange, type IsoDay, type Tri } from '../../fhir/dates.js';
import type { MedicationRecord } from '../../mapping/model.js';
import { allergyCounts } from '../common/allergy-records.js';
import { agentName } from '../common/course-labels.js';
import { diagnosisOnset, onsetField, onsetOf } from './diagnosis-onset.js';
import { weighingDoubtfulRecords } from '../common/doubtful-records.js';
import { conditionLabel, dateText, listText, medicationLabel } from '../common/labels.js';
import { IVIG_TRACK, timelineOf, track, type Track } from '../common/medication-timeline.js';
import { missingRecordDetail } from '../common/missing-data.js';
import { decided, undecided } from '../common/outcome.js';
import type { Criterion } from '../types.js';
import { thresholdsOf } from './thresholds.js';

export const I4_AGENTS = [
  'azathioprine', 'methotrexate', 'mycophenolate', 'leflunomide', 'tacrolimus',
  'cyclosporine', 'cyclophosphamide', 'rituximab', IVIG_TRACK,
];

interface Exposure {
  tri: Tri;
  text: string;
  refs: string[];
}

/** First start to last end (or D): at least `months` calendar months? */
function spanAtLeast(first: DayRange, last: DayRange, D: IsoDay, months: number): Tri {
  if (addMonths(first.latest, months) <= minDay(last.earliest, D)) return 'yes';
  if (addMonths(first.earliest, months) <= minDay(last.latest, D)) return 'maybe';
  return 'no';
}

function spanOfRecords(records: MedicationRecord[]): { first: DayRange; last: DayRange } | undefined {
  const dated = records.filter((m) => m.start);
  if (dated.length === 0) return undefined;
  const min = (xs: string[]) => xs.reduce((a, b) => (b < a ? b : a));
  const max = (xs: string[]) => xs.reduce((a, b) => (b > a ? b : a));
  return {
    first: { earliest: min(dated.map((m) => m.start!.earliest)), latest: min(dated.map((m) => m.start!.latest)) },
    last: { earliest: max(dated.map((m) => (m.end ?? m.start)!.earliest)), latest: max(dated.map((m) => (m.end ?? m.start)!.latest)) },
  };
}

/**
 * The records of some tracks that pass `keep`, each once, in track order. A record naming two
 * agents sits on both their tracks. (Loops, not flatMap and a Set of the lot: this runs for
 * every myositis patient, and a spread-flatMap-filter-Set chain builds an array at every step.)
 */
function recordsOfTracks(tracks: Iterable<Track>, of: (t: Track) => MedicationRecord[], keep: (m: MedicationRecord) => boolean): MedicationRecord[] {
  const out: MedicationRecord[] = [];
  // A scan while the list is short, a Set once it is long (thousands of records stay linear).
  let seen: Set<MedicationRecord> | undefined;
  for (const t of tracks) {
    for (const m of of(t)) {
      if (!keep(m)) continue;
      if (seen === undefined && out.length >= 16) seen = new Set(out);
      if (seen ? seen.has(m) : out.includes(m)) continue;
      out.push(m);
      seen?.add(m);
    }
  }
  return out;
}

const asWritten: Criterion = {
  id: 'inc-refractory',
  type: 'inclusion',
  evaluate(model) {
    const th = thresholdsOf(model)['inc-refractory'];
    const D = model.asOf;

    // The veto: a diagnosis less than 3 months old.
    const onset = diagnosisOnset(model);
    const recentLimit = addMonths(D, -th.recentOnsetMonths);
    let recent: Tri = 'no';
    if (onset.earliest) {
      if (onset.earliest.earliest > recentLimit) recent = onset.undated.length > 0 ? 'maybe' : 'yes';
      else if (onset.earliest.latest > recentLimit) recent = 'maybe';
    } else if (onset.undated.length > 0) recent = 'maybe';
    const onsetText = onset.first
      ? `earliest ${onsetField(onset.first)} of the myositis diagnosis ${dateText(onsetOf(onset.first)!)} (${conditionLabel(onset.first)})`
      : '';
    if (recent === 'yes') {
      return decided('not-met', `${onsetText} is less than ${th.recentOnsetMonths} months before ${D} (after ${recentLimit}): not yet refractory, whatever the treatment`, [onset.first!.ref]);
    }

    // Exposure: the glucocorticoid class as a whole, then each agent.
    const exposures: Exposure[] = [];
    const timeline = timelineOf(model);
    const gcRecords = recordsOfTracks(timeline.tracks.values(), (t) => t.records, (m) => m.groups.includes('glucocorticoid'));
    const gc = spanOfRecords(gcRecords);
    if (gc) {
      const tri = spanAtLeast(gc.first, gc.last, D, th.minMonths);
      exposures.push({ tri, text: `systemic glucocorticoids from ${dateText(gc.first)} to ${gc.last.latest >= D ? D : dateText(gc.last)}`, refs: gcRecords.map((m) => m.ref) });
    }
    for (const id of I4_AGENTS) {
      const t = track(model, id);
      if (!t.firstStart || !t.lastEnd) continue;
      const refs = t.records.filter((m) => m.start).map((m) => m.ref);
      if (id === 'rituximab') {
        const limit = addMonths(D, -th.minMonths);
        const tri: Tri = t.firstStart.latest <= limit ? 'yes' : t.firstStart.earliest <= limit ? 'maybe' : 'no';
        exposures.push({ tri, text: `rituximab first given ${dateText(t.firstStart)} (a cycle acts for months; on or before ${limit} counts)`, refs });
        continue;
      }
      const tri = spanAtLeast(t.firstStart, t.lastEnd, D, th.minMonths);
      exposures.push({ tri, text: `${agentName(id)} from ${dateText(t.firstStart)} to ${t.lastEnd.latest >= D ? D : dateText(t.lastEnd)}`, refs });
    }

    // Intolerance: an allergy to one of the agents, or a record stopped for an adverse reaction.
    const agentIds = new Set([...I4_AGENTS, 'immune-globulin']);
    const allergies = model.allergies.filter(
      (a) => allergyCounts(a) && (a.groups.includes('glucocorticoid') || a.agents.some((x) => agentIds.has(x)))
    );
    const stopped = recordsOfTracks(
      timeline.tracks.values(),
      (t) => t.stoppedForAdverseReaction,
      (m) => m.groups.includes('glucocorticoid') || m.groups.includes('ivig') || m.agents.some((x) => agentIds.has(x)),
    );
    const intolerance = [
      ...allergies.map((a) => ({ text: `intolerance recorded as an allergy to ${a.display} (${a.ref}${a.matchedByName ? ', matched by name' : ''})`, ref: a.ref })),
      ...stopped.map((m) => ({ text: `${medicationLabel(m)} stopped for an adverse reaction`, ref: m.ref })),
    ];

    const enough = exposures.filter((e) => e.tri === 'yes');
    const decidedBy = [...enough.map((e) => e.text), ...intolerance.map((i) => i.text)];
    const refs: string[] = [];
    for (const e of enough) refs.push(...e.refs);
    for (const i of intolerance) refs.push(i.ref);
    if (decidedBy.length > 0) {
      const what = `${listText(decidedBy)} (at least ${th.minMonths} months of treatment, or a documented intolerance)`;
      if (recent === 'maybe') {
        return undecided(`${what}, but the myositis diagnosis may be less than ${th.recentOnsetMonths} months old (after ${recentLimit})${onsetText ? `: ${onsetText}` : ''}`, {
          evidence: [...refs, ...onset.diagnoses.map((d) => d.ref)],
          missingData: onset.diagnoses.map((d) => missingRecordDetail(d.ref, `the exact onset date of ${conditionLabel(d)}`)),
        });
      }
      return decided('met', what, refs);
    }
    const maybe = exposures.filter((e) => e.tri === 'maybe');
    const shortText = exposures.length > 0 ? `; on record: ${listText(exposures.map((e) => e.text))}` : '';
    const missingData = [
      ...maybe.flatMap((e) => e.refs.map((ref) => missingRecordDetail(ref, `the exact dates of ${ref}`))),
      { text: `earlier treatment: at least ${th.minMonths} months of systemic glucocorticoids or of azathioprine, methotrexate, mycophenolate, leflunomide, tacrolimus, cyclosporine, cyclophosphamide, rituximab or IVIG`, query: `MedicationStatement?patient=${model.patient.id}` },
      { text: 'a documented intolerance to one of those agents', query: `AllergyIntolerance?patient=${model.patient.id}` },
    ];
    return undecided(`no record of at least ${th.minMonths} months of glucocorticoids or an immunosuppressant, or of an intolerance to one, before ${D} (treatment may lie outside this record)${shortText}`, {
      evidence: exposures.flatMap((e) => e.refs),
      missingData,
    });
  },
};

// glucocorticoids with no route: weighed both ways (doubtful-records.ts).
export const criterion: Criterion = weighingDoubtfulRecords(asWritten, ['possibly-systemic']);
