// The medication timeline of one patient at D (the rules criteria share: courses, current at D,
// renewals), built once per model and shared by every criterion and kit block that reads
// medication courses. It is computed lazily and kept on the model object (model-memo.ts), so
// criteria stay pure functions of it.
//
// Tracks: one per agent (ingredient), plus `ivig` (immune globulin given IV: medications.yaml) and,
// for class-only records with no agent (an anticoagulant known only by a VSAC clinical-drug
// code), one per drug display. Records that do not count are left out (and the model holds no
// record starting after D).
//
// Courses: records of one track whose spans lie at most `courses.gapDays` apart (overlapping or
// touching spans merge). A course is current at D when a record's span covers D; one made only
// of administrations when its last administration lies within `courses.administrationCurrentDays`
// before D; an active record with no dates makes its course current with an unknown start.
//
// Doses: on any day of a course the dose is the one of the latest-starting record covering that
// day ("the later-starting record's dose applies"); in a gap inside a course the
// last dose carries on, so a renewal at the same dose is neither a change nor a new start. An
// administration's dose lasts until the next administration of its course.

import { addDays, dayNumber, fromDayNumber, type DayRange, type IsoDay, type Tri } from '../../fhir/dates.js';
import type { EligibilityModel, MedicationRecord } from '../../mapping/model.js';
import { medicationCounts } from './medication-records.js';
import { memoOnModel } from './model-memo.js';

export const IVIG_TRACK = 'ivig';

export interface Course {
  track: string;
  /** Records in start order (undated ones last). */
  records: MedicationRecord[];
  /** First start (earliest/latest bounds); undefined when only an undated active record makes it. */
  start?: DayRange;
  /** Last end (ongoing records end at D). */
  end?: DayRange;
  administrationsOnly: boolean;
  /** Current at D: yes, no, or maybe (a partial date straddles D or the 60-day limit). */
  current: Tri;
  /** An active record with no dates belongs to it: current, start unknown. */
  hasUndated: boolean;
}

export interface Track {
  id: string;
  records: MedicationRecord[];
  courses: Course[];
  /** The last course, when it is current (yes or maybe) at D. */
  current?: Course;
  firstStart?: DayRange;
  lastEnd?: DayRange;
  /** Not active, with no date at all: exposure at an unknown time. */
  undatedPast: MedicationRecord[];
  stoppedForAdverseReaction: MedicationRecord[];
}

export interface Timeline {
  asOf: IsoDay;
  tracks: Map<string, Track>;
}

export const timelineOf: (model: EligibilityModel) => Timeline = memoOnModel('medication timeline', buildTimeline);

/** A track by id; an empty one when the patient has no such record. */
export function track(model: EligibilityModel, id: string): Track {
  return timelineOf(model).tracks.get(id) ?? { id, records: [], courses: [], undatedPast: [], stoppedForAdverseReaction: [] };
}

/** Tracks holding records of a group (`glucocorticoid`, `anticoagulant`, …), by id order. */
export function tracksWithGroup(model: EligibilityModel, group: string): Track[] {
  return [...timelineOf(model).tracks.values()]
    .filter((t) => t.id !== IVIG_TRACK && t.records.some((m) => m.groups.includes(group)))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function trackIds(m: MedicationRecord): string[] {
  const ids = [...m.agents];
  if (m.groups.includes('ivig')) ids.push(IVIG_TRACK);
  if (m.agents.length === 0) ids.push(`drug:${m.display.toLowerCase()}`);
  return ids;
}

/** Stable order: start, then end, then ref, so the input order never matters. */
export function byStart(a: MedicationRecord, b: MedicationRecord): number {
  const as = a.start?.earliest ?? '';
  const bs = b.start?.earliest ?? '';
  if (as !== bs) return as < bs ? -1 : 1;
  const ae = a.end?.latest ?? '';
  const be = b.end?.latest ?? '';
  if (ae !== be) return ae < be ? -1 : 1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

function buildTimeline(model: EligibilityModel): Timeline {
  const D = model.asOf;
  const { gapDays, administrationCurrentDays } = model.thresholds.courses;
  const byTrack = new Map<string, MedicationRecord[]>();
  for (const m of model.medications) {
    if (!medicationCounts(m)) continue;
    for (const id of trackIds(m)) {
      const list = byTrack.get(id) ?? [];
      list.push(m);
      byTrack.set(id, list);
    }
  }
  const tracks = new Map<string, Track>();
  for (const [id, records] of byTrack) tracks.set(id, buildTrack(id, records, D, gapDays, administrationCurrentDays));
  return { asOf: D, tracks };
}

/** Some records of one track made into courses by the same rules (a study's own view of a track). */
export function trackOf(model: EligibilityModel, id: string, records: MedicationRecord[]): Track {
  const { gapDays, administrationCurrentDays } = model.thresholds.courses;
  return buildTrack(id, records, model.asOf, gapDays, administrationCurrentDays);
}

function buildTrack(id: string, all: MedicationRecord[], D: IsoDay, gapDays: number, adminDays: number): Track {
  const records = [...all].sort(byStart);
  const dated = records.filter((m) => m.start);
  const undatedActive = records.filter((m) => !m.start && m.undated);
  const undatedPast = records.filter((m) => !m.start && !m.undated);
  const courses: Course[] = [];
  let cur: MedicationRecord[] = [];
  let curEnd = '';
  for (const m of dated) {
    const end = (m.end ?? m.start)!.latest;
    if (cur.length > 0 && dayNumber(m.start!.earliest) - dayNumber(curEnd) <= gapDays) {
      cur.push(m);
      if (end > curEnd) curEnd = end;
      continue;
    }
    if (cur.length > 0) courses.push(makeCourse(id, cur, D, adminDays));
    cur = [m];
    curEnd = end;
  }
  if (cur.length > 0) courses.push(makeCourse(id, cur, D, adminDays));
  if (undatedActive.length > 0) {
    const last = courses[courses.length - 1];
    if (last && last.current !== 'no') {
      last.records.push(...undatedActive);
      last.hasUndated = true;
      last.current = 'yes';
    } else {
      courses.push({ track: id, records: undatedActive, administrationsOnly: false, current: 'yes', hasUndated: true });
    }
  }
  const t: Track = {
    id,
    records,
    courses,
    undatedPast,
    stoppedForAdverseReaction: records.filter((m) => m.stoppedForAdverseReaction),
  };
  const last = courses[courses.length - 1];
  if (last && last.current !== 'no') t.current = last;
  const starts = dated.map((m) => m.start!);
  if (starts.length > 0) t.firstStart = { earliest: minOf(starts.map((s) => s.earliest)), latest: minOf(starts.map((s) => s.latest)) };
  const ends = dated.map((m) => m.end ?? m.start!);
  if (ends.length > 0) t.lastEnd = { earliest: maxOf(ends.map((e) => e.earliest)), latest: maxOf(ends.map((e) => e.latest)) };
  return t;
}

function makeCourse(track: string, records: MedicationRecord[], D: IsoDay, adminDays: number): Course {
  const starts = records.map((m) => m.start!);
  const ends = records.map((m) => m.end ?? m.start!);
  const administrationsOnly = records.every((m) => m.resourceType === 'MedicationAdministration');
  const course: Course = {
    track,
    records,
    start: { earliest: minOf(starts.map((s) => s.earliest)), latest: minOf(starts.map((s) => s.latest)) },
    end: { earliest: maxOf(ends.map((e) => e.earliest)), latest: maxOf(ends.map((e) => e.latest)) },
    administrationsOnly,
    current: 'no',
    hasUndated: false,
  };
  let current: Tri = 'no';
  for (const m of records) {
    const s = m.start!;
    const e = m.end ?? s;
    if (s.latest <= D && e.earliest >= D) current = 'yes';
    else if (current === 'no' && s.earliest <= D && e.latest >= D) current = 'maybe';
  }
  if (current !== 'yes' && administrationsOnly) {
    const limit = addDays(D, -adminDays);
    if (course.end!.earliest >= limit) current = 'yes';
    else if (course.end!.latest >= limit) current = 'maybe';
  }
  course.current = current;
  return course;
}

function minOf(days: IsoDay[]): IsoDay {
  return days.reduce((a, b) => (b < a ? b : a));
}

function maxOf(days: IsoDay[]): IsoDay {
  return days.reduce((a, b) => (b > a ? b : a));
}

// ---------------------------------------------------------------------------------------------
// Doses over time.

/** A dose per day on a day: known mg (summed) plus the records whose dose is unknown. */
export interface DoseValue {
  mg: number;
  unknown: string[];
}

interface Segment {
  from: number;
  to: number;
  record: MedicationRecord;
}

/** What each record contributes per day (mg in the caller's unit), or undefined when unknown. */
export type DoseOf = (m: MedicationRecord) => number | undefined;

/** Day segments of a course: records by span; administrations last until the next one. */
function segmentsOf(course: Course, D: IsoDay): Segment[] {
  const dNum = dayNumber(D);
  const segs: Segment[] = [];
  const dated = course.records.filter((m) => m.start);
  dated.forEach((m, i) => {
    const from = dayNumber(m.start!.earliest);
    let to = Math.min(dayNumber((m.end ?? m.start!).latest), dNum);
    if (course.administrationsOnly) {
      const next = dated.slice(i + 1).find((n) => dayNumber(n.start!.earliest) > from);
      to = next ? dayNumber(next.start!.earliest) - 1 : course.current !== 'no' ? dNum : to;
    }
    segs.push({ from, to, record: m });
  });
  for (const m of course.records.filter((r) => !r.start)) segs.push({ from: -Infinity, to: dNum, record: m });
  return segs;
}

export interface DoseHistory {
  /** The value on a day. */
  on(day: number): DoseValue;
  /** Days (≤ D) on which the value may change. */
  boundaries: number[];
  /** True when a record with no dates contributes (its start is unknown). */
  openStart: boolean;
}

/** Dose per day over time for some tracks (one agent, or all glucocorticoids summed). */
export function doseHistory(tracks: Track[], D: IsoDay, doseOf: DoseOf, include: (m: MedicationRecord) => boolean = () => true): DoseHistory {
  const perCourse: { course: Course; segs: Segment[]; from: number; to: number }[] = [];
  const boundaries = new Set<number>();
  let openStart = false;
  const dNum = dayNumber(D);
  for (const t of tracks) {
    for (const course of t.courses) {
      const kept: Course = { ...course, records: course.records.filter(include) };
      if (kept.records.length === 0) continue;
      const segs = segmentsOf(kept, D);
      const from = Math.min(...segs.map((s) => s.from));
      const to = Math.max(...segs.map((s) => s.to));
      if (from === -Infinity) openStart = true;
      perCourse.push({ course: kept, segs, from, to });
      for (const s of segs) {
        if (Number.isFinite(s.from) && s.from <= dNum) boundaries.add(s.from);
        if (s.to + 1 <= dNum) boundaries.add(s.to + 1);
      }
    }
  }
  const on = (day: number): DoseValue => {
    const value: DoseValue = { mg: 0, unknown: [] };
    for (const c of perCourse) {
      if (day < c.from || day > c.to) continue;
      const covering = c.segs.filter((s) => s.from <= day && day <= s.to);
      let seg: Segment | undefined;
      if (covering.length > 0) seg = covering.reduce((a, b) => (later(b, a) ? b : a));
      else {
        // A gap inside the course: the last dose carries on.
        const before = c.segs.filter((s) => s.to < day);
        if (before.length > 0) seg = before.reduce((a, b) => (b.to > a.to || (b.to === a.to && later(b, a)) ? b : a));
      }
      if (!seg) continue;
      const mg = doseOf(seg.record);
      if (mg === undefined) value.unknown.push(seg.record.ref);
      else value.mg += mg;
    }
    value.unknown.sort();
    return value;
  };
  return { on, boundaries: [...boundaries].sort((a, b) => b - a), openStart };
}

/** The later-starting segment wins; ties go to the later end, then the ref (order-free). */
function later(a: Segment, b: Segment): boolean {
  if (a.from !== b.from) return a.from > b.from;
  if (a.to !== b.to) return a.to > b.to;
  return a.record.ref > b.record.ref;
}

export type DoseComparison = 'same' | 'different' | 'uncertain';

export function compareDoses(a: DoseValue, b: DoseValue): DoseComparison {
  const sameUnknown = a.unknown.length === b.unknown.length && a.unknown.every((r, i) => r === b.unknown[i]);
  const sameMg = Math.abs(a.mg - b.mg) < 1e-6;
  if (sameMg && sameUnknown) return 'same';
  if (a.unknown.length === 0 && b.unknown.length === 0) return 'different';
  return 'uncertain';
}

export interface DoseStart {
  value: DoseValue;
  /** The first day of the present dose; undefined when it reaches back to an undated record. */
  began?: IsoDay;
  /** A later day on which the dose may have changed (a record of unknown dose starts or stops). */
  mayHaveChangedOn?: IsoDay;
}

/** When the dose in force at D began (I8, I9). */
export function doseStart(history: DoseHistory, D: IsoDay): DoseStart {
  const dNum = dayNumber(D);
  const value = history.on(dNum);
  const out: DoseStart = { value };
  for (const b of history.boundaries) {
    if (b > dNum) continue;
    const cmp = compareDoses(history.on(b - 1), value);
    if (cmp === 'same') continue;
    if (cmp === 'uncertain') {
      if (!out.mayHaveChangedOn) out.mayHaveChangedOn = fromDayNumber(b);
      continue;
    }
    out.began = fromDayNumber(b);
    return out;
  }
  if (!history.openStart && history.boundaries.length > 0) out.began = fromDayNumber(history.boundaries[history.boundaries.length - 1]!);
  return out;
}
