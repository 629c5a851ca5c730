// Encounter → EncounterRecord, kept only when a reason is in the study's `infection` value set
// (a study without one keeps none): reasonCode, a reasonReference Condition's code, or a
// diagnosis.condition's code. Dropped: cancelled, entered-in-error. An in-progress stay with
// no period end runs to D.

import { exactDay, type IsoDay } from '../fhir/dates.js';
import type { PatientRecord, RecordEntry } from '../ingest/patient-record.js';
import { key, type CompiledStudy } from './compiled-study.js';
import { Extraction } from './fhirpath-extract.js';
import { isRecord, readCodings, readPeriod } from './fhir-values.js';
import type { CodingRef, EncounterRecord } from './model.js';
import { INFECTION_VALUE_SET } from './required-ids.js';

const NOT_COUNTED = new Set(['cancelled', 'entered-in-error']);
const STILL_THERE = new Set(['in-progress', 'arrived', 'onleave']);

export interface InfectionReasons {
  reasons: CodingRef[];
  refs: string[];
}

function referenceText(ref: unknown): unknown {
  return isRecord(ref) ? ref['reference'] : undefined;
}

/** Reads reasons with plain JSON access: this decides whether FHIRPath runs at all. */
const INFECTION_KEY = key.valueSet(INFECTION_VALUE_SET);

export function infectionReasons(study: CompiledStudy, entry: RecordEntry, record: PatientRecord): InfectionReasons {
  const r = entry.resource;
  const inSet = (c: CodingRef) => study.index.match(c.system, c.code).includes(INFECTION_KEY);
  const out: InfectionReasons = { reasons: [], refs: [] };
  for (const c of readCodings(r['reasonCode'])) if (inSet(c)) out.reasons.push(c);
  const referenced = [
    ...(Array.isArray(r['reasonReference']) ? r['reasonReference'] : []),
    ...(Array.isArray(r['diagnosis']) ? r['diagnosis'].filter(isRecord).map((d) => d['condition']) : []),
  ];
  for (const ref of referenced) {
    const target = record.resolve(referenceText(ref), entry);
    if (!target || target.resourceType !== 'Condition') continue;
    const hits = readCodings(target['code']).filter(inSet);
    if (hits.length === 0) continue;
    out.reasons.push(...hits);
    const text = referenceText(ref);
    const cite = target.id ? `Condition/${target.id}` : typeof text === 'string' ? text : undefined;
    if (cite && !out.refs.includes(cite)) out.refs.push(cite);
  }
  return out;
}

export function readEncounter(study: CompiledStudy, entry: RecordEntry, reasons: InfectionReasons, asOf: IsoDay): EncounterRecord | undefined {
  const x = new Extraction(study.extract.Encounter, entry.resource);
  const status = x.firstString('status');
  if (status && NOT_COUNTED.has(status)) return undefined;
  const e: EncounterRecord = { ref: entry.ref, infectionReasons: reasons.reasons, reasonRefs: reasons.refs };
  if (status) e.status = status;
  const classCode = x.firstString('classCode');
  if (classCode) e.classCode = classCode;
  const period = readPeriod(x.one('period'), 'period', x.problems);
  if (period.start) e.start = period.start;
  if (period.end) e.end = period.end;
  else if (period.start && status && STILL_THERE.has(status)) e.end = exactDay(asOf);
  return e;
}
