// One pass over the patient's resources builds the EligibilityModel. Each resource is first
// matched by its codes with plain JSON reads and the code index; FHIRPath (far costlier than
// parsing) runs only on the few that belong to a value set, lab, measure or agent, each on its
// own clone. The caller's record is never written to. Records dated after D are left out here,
// once, for every criterion (known-at.ts).

import type { IsoDay } from '../fhir/dates.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import type { CompiledStudy } from './compiled-study.js';
import { foldCodings, readCodings, readTexts } from './fhir-values.js';
import { drugOf, matchDrug } from './medication-agent.js';
import type { CodingRef, EligibilityModel } from './model.js';
import { readAllergy } from './read-allergies.js';
import { readCondition } from './read-conditions.js';
import { infectionReasons, readEncounter } from './read-encounters.js';
import { readFamilyHistory } from './read-family-history.js';
import { afterAsOf } from './known-at.js';
import { isMedicationType, possiblySystemic, readMedication } from './read-medications.js';
import { readObservation, readReportFinding, type ObservationMatch } from './read-observations.js';
import { readPatient } from './read-patient.js';
import { readProcedure } from './read-procedures.js';

/** Value-set ids of the first matching coding, and that coding. */
function conceptsOf(study: CompiledStudy, code: unknown): { concepts: string[]; coding: CodingRef } | undefined {
  const concepts: string[] = [];
  let first: CodingRef | undefined;
  for (const c of readCodings(code)) {
    const hits = study.index.match(c.system, c.code).filter((k) => k.startsWith('vs:'));
    if (hits.length === 0) continue;
    first ??= c;
    for (const h of hits) if (!concepts.includes(h.slice(3))) concepts.push(h.slice(3));
  }
  return first ? { concepts, coding: first } : undefined;
}

interface TestHits {
  labs: readonly string[];
  measures: readonly string[];
}

/**
 * Lab and measure ids of one answer of the code index, worked out once per answer: the index
 * memoises its answers (the same frozen list for the same code), and this runs for the code of
 * every Observation. Null: the answer names no lab or measure.
 */
const TEST_HITS = new WeakMap<readonly string[], TestHits | null>();

function testHitsOf(keys: readonly string[]): TestHits | null {
  let hits = TEST_HITS.get(keys);
  if (hits === undefined) {
    const labs = keys.filter((k) => k.startsWith('lab:')).map((k) => k.slice(4));
    const measures = keys.filter((k) => k.startsWith('measure:')).map((k) => k.slice(8));
    hits = labs.length + measures.length > 0 ? Object.freeze({ labs: Object.freeze(labs), measures: Object.freeze(measures) }) : null;
    TEST_HITS.set(keys, hits);
  }
  return hits;
}

/** Lab and measure ids of a code; undefined when it names none (no allocation then). */
function testsOf(study: CompiledStudy, code: unknown): TestHits | undefined {
  return foldCodings(code, study, testsStep, undefined);
}

function testsStep(hits: TestHits | undefined, system: string, code: string, _coding: unknown, study: CompiledStudy): TestHits | undefined {
  const keys = study.index.match(system, code);
  if (keys.length === 0) return hits;
  const found = testHitsOf(keys);
  if (!found) return hits;
  if (!hits) return found;
  // A second coding that names tests too (rare): a new list, without repeats.
  return {
    labs: [...hits.labs, ...found.labs.filter((l) => !hits.labs.includes(l))],
    measures: [...hits.measures, ...found.measures.filter((m) => !hits.measures.includes(m))],
  };
}

/** Decided on the codes alone, before anything is read: most Observations are not study tests. */
function observationMatch(study: CompiledStudy, resource: Record<string, unknown>): ObservationMatch | undefined {
  const own = testsOf(study, resource['code']);
  let components: ObservationMatch['components'] | undefined;
  const list = resource['component'];
  if (Array.isArray(list)) {
    for (let index = 0; index < list.length; index++) {
      const comp: unknown = list[index];
      if (typeof comp !== 'object' || comp === null) continue;
      const t = testsOf(study, (comp as Record<string, unknown>)['code']);
      if (t) (components ??= []).push({ index, labs: t.labs, measures: t.measures });
    }
  }
  if (!own && !components) return undefined;
  return { labs: own?.labs ?? [], measures: own?.measures ?? [], components: components ?? [] };
}

export function buildModel(study: CompiledStudy, record: PatientRecord, asOf: IsoDay): EligibilityModel {
  const patient = readPatient(study, record.patient, record.patientId, asOf);
  const model: EligibilityModel = {
    studyId: study.studyId,
    asOf,
    patient,
    diagnoses: [],
    medications: [],
    possiblySystemic: [],
    labs: [],
    assessments: [],
    procedures: [],
    encounters: [],
    allergies: [],
    familyHistory: [],
    // Shared and deep-frozen: criteria are pure and only read them.
    thresholds: study.thresholds,
    tests: study.tests,
  };

  for (const entry of record.entries) {
    const r = entry.resource;
    const type = r.resourceType;
    if (type === 'Condition') {
      const m = conceptsOf(study, r['code']);
      const d = m && readCondition(study, entry, m.concepts, m.coding, patient.birthDate, asOf);
      if (d && !afterAsOf(d.onset ?? d.recorded, asOf)) model.diagnoses.push(d);
    } else if (type === 'Observation') {
      const m = observationMatch(study, r);
      if (m) readObservation(study, entry, m, model, asOf);
    } else if (isMedicationType(type)) {
      const drug = drugOf(r, entry, record);
      const m = matchDrug(study, drug);
      const rec = m && readMedication(study, entry, type, m, drug.texts, asOf);
      if (rec && !afterAsOf(rec.start, asOf)) (possiblySystemic(rec) ? model.possiblySystemic : model.medications).push(rec);
    } else if (type === 'Procedure') {
      const m = conceptsOf(study, r['code']);
      const p = m && readProcedure(study, entry, m.concepts, m.coding);
      if (p && !afterAsOf(p.start, asOf)) model.procedures.push(p);
    } else if (type === 'Encounter') {
      const reasons = infectionReasons(study, entry, record);
      const e = reasons.reasons.length > 0 ? readEncounter(study, entry, reasons, asOf) : undefined;
      if (e && !afterAsOf(e.start, asOf)) model.encounters.push(e);
    } else if (type === 'AllergyIntolerance') {
      const m = matchDrug(study, { codings: readCodings(r['code']), texts: readTexts(r['code']) });
      const a = m && readAllergy(study, entry, m);
      if (a && !afterAsOf(a.onset ?? a.recorded, asOf)) model.allergies.push(a);
    } else if (type === 'FamilyMemberHistory') {
      const f = readFamilyHistory(study, entry);
      if (f && !afterAsOf(f.date, asOf)) model.familyHistory.push(f);
    } else if (type === 'DiagnosticReport') {
      const measures = testsOf(study, r['conclusionCode'])?.measures ?? [];
      if (measures.length > 0) readReportFinding(study, entry, measures, model.assessments, asOf);
    }
  }
  return model;
}
