// Hand-built EligibilityModel objects for unit tests of the criteria: precise control over dates
// and statuses without going through ingest and the mapping. Thresholds come from the real
// thresholds.yaml (merged with the site's, as the loader reads it), so a unit test can never pass
// on a number the study does not use.

import { exactDay, parseFhirDate, type DayRange } from '../../../src/fhir/dates.js';
import type {
  AllergyRecord,
  Diagnosis,
  EligibilityModel,
  LabResult,
  MedicationRecord,
  ProcedureRecord,
  TestDefinition,
} from '../../../src/mapping/model.js';
import { ThresholdsFile, type Thresholds } from '../../../src/criteria/belimumab-iim/thresholds.js';
import { readStudyFile } from '../../../src/mapping/study-files.js';

export const THRESHOLDS = readStudyFile('fhir-mappings/belimumab-iim', 'thresholds.yaml', ThresholdsFile).data as Thresholds;

const LOINC = 'http://loinc.org';
const LOCAL = 'https://fhir-prescreen.org/CodeSystem/belimumab-iim';

const TESTS: Record<string, TestDefinition> = {
  igg: { display: 'Immunoglobulin G', unit: 'mg/dL', codings: [{ system: LOINC, code: '2465-3' }] },
  iga: { display: 'Immunoglobulin A', unit: 'mg/dL', codings: [{ system: LOINC, code: '2458-8' }] },
  hbsag: { display: 'Hepatitis B surface antigen', codings: [{ system: LOINC, code: '5196-1' }] },
  hbcab: { display: 'Hepatitis B core antibody (total)', codings: [{ system: LOINC, code: '16933-4' }, { system: LOINC, code: '13952-7' }] },
  'hcv-ab': { display: 'Hepatitis C antibody', codings: [{ system: LOINC, code: '16128-1' }] },
  'hcv-rna': { display: 'Hepatitis C RNA', codings: [{ system: LOINC, code: '11011-4' }] },
  'hiv-test': { display: 'HIV test', codings: [{ system: LOINC, code: '75622-1' }] },
  hcg: { display: 'hCG (pregnancy test)', codings: [{ system: LOINC, code: '2106-3' }] },
  'hcg-quantitative': { display: 'hCG, quantitative', unit: '[IU]/L', codings: [{ system: LOINC, code: '21198-7' }] },
  'ana-screen': { display: 'Antinuclear antibody (screen)', codings: [{ system: LOINC, code: '8061-4' }] },
  'ana-titre': { display: 'Antinuclear antibody titre', codings: [{ system: LOINC, code: '5048-4' }] },
  ...Object.fromEntries(
    ['ab-rnp', 'ab-ssa', 'ab-ssb', 'msa-jo1', 'msa-pl7', 'msa-pl12', 'msa-ej', 'msa-oj', 'msa-ks', 'msa-srp', 'msa-mi2', 'msa-nxp2', 'msa-mda5', 'msa-tif1g', 'msa-sae'].map(
      (id) => [id, { display: `${id} antibody`, codings: [{ system: LOCAL, code: id }] }],
    ),
  ),
};

export const D = '2026-10-26';

export function day(value: string): DayRange {
  const r = parseFhirDate(value);
  if (!r) throw new Error(`bad test date ${value}`);
  return r;
}

export function model(parts: Partial<EligibilityModel> = {}): EligibilityModel {
  return {
    studyId: 'belimumab-iim',
    asOf: D,
    patient: { ref: 'Patient/p1', id: 'p1', gender: 'female', birthDate: exactDay('1970-01-01'), deceased: false },
    diagnoses: [],
    medications: [],
    possiblySystemic: [],
    labs: [],
    assessments: [],
    procedures: [],
    encounters: [],
    allergies: [],
    familyHistory: [],
    thresholds: THRESHOLDS,
    tests: TESTS,
    ...parts,
  };
}

let counter = 0;
const nextId = (): string => `x${++counter}`;

export function dx(concept: string, fields: Partial<Omit<Diagnosis, 'onset' | 'recorded' | 'abatement'>> & { onset?: string; recorded?: string; abatement?: string } = {}): Diagnosis {
  const { onset, recorded, abatement, ...rest } = fields;
  const d: Diagnosis = {
    ref: `Condition/${nextId()}`,
    concepts: [concept],
    coding: { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'X00', display: concept },
    abated: false,
    problems: [],
    ...rest,
  };
  if (onset) d.onset = day(onset);
  if (recorded) d.recorded = day(recorded);
  if (abatement) {
    d.abatement = day(abatement);
    if (rest.abated === undefined) d.abated = d.abatement.latest <= D;
  }
  return d;
}

export function lab(test: string, fields: Partial<Omit<LabResult, 'date'>> & { date?: string } = {}): LabResult {
  const { date, ...rest } = fields;
  const l: LabResult = { ref: `Observation/${nextId()}`, test, valueText: String(rest.value ?? rest.positivity ?? ''), positivity: 'unknown', ...rest };
  if (date) l.date = day(date);
  return l;
}

export function med(
  agent: string,
  fields: Partial<Omit<MedicationRecord, 'start' | 'end'>> & { start?: string; end?: string } = {},
): MedicationRecord {
  const { start, end, ...rest } = fields;
  const m: MedicationRecord = {
    ref: `MedicationAdministration/${nextId()}`,
    resourceType: 'MedicationAdministration',
    agents: [agent],
    groups: [],
    matchedByName: false,
    display: agent,
    status: 'completed',
    ongoing: false,
    undated: false,
    dose: {},
    stoppedForAdverseReaction: false,
    ...rest,
  };
  if (start) m.start = day(start);
  if (end) m.end = day(end);
  else if (start) m.end = m.ongoing ? day(D) : day(start);
  return m;
}

export function procedure(concept: string, fields: Partial<Omit<ProcedureRecord, 'start'>> & { start?: string } = {}): ProcedureRecord {
  const { start, ...rest } = fields;
  const p: ProcedureRecord = { ref: `Procedure/${nextId()}`, concepts: [concept], coding: { system: 'http://snomed.info/sct', code: '1', display: concept }, status: 'completed', ...rest };
  if (start) p.start = day(start);
  return p;
}

export function allergy(fields: Partial<AllergyRecord> = {}): AllergyRecord {
  return { ref: `AllergyIntolerance/${nextId()}`, agents: [], groups: [], matchedByName: false, display: 'allergen', anaphylaxis: false, ...fields };
}
