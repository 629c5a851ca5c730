// A deterministic "typical" patient for the benchmark: the study's worked example (a DM
// candidate) buried in the routine history a Synthea export carries for an adult — vitals and
// panels, office visits, chronic problems, repeat prescriptions with product-unit doses,
// procedures and immunisations. Most of it is in no study value set, which is the point: the
// engine must pay for the few relevant records, not for the bulk.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config.js';

type Json = Record<string, unknown>;

const EXAMPLE = join(projectRoot(), 'examples', 'candidate-dm.json');

const VITALS: [string, string, string, number, number][] = [
  ['8480-6', 'Systolic blood pressure', 'mm[Hg]', 110, 40],
  ['8462-4', 'Diastolic blood pressure', 'mm[Hg]', 70, 20],
  ['8867-4', 'Heart rate', '/min', 60, 30],
  ['9279-1', 'Respiratory rate', '/min', 12, 6],
  ['29463-7', 'Body weight', 'kg', 60, 25],
  ['8302-2', 'Body height', 'cm', 160, 15],
  ['39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 20, 10],
  ['2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL', 70, 40],
  ['6299-2', 'Urea nitrogen [Mass/volume] in Blood', 'mg/dL', 7, 12],
  ['38483-4', 'Creatinine [Mass/volume] in Blood', 'mg/dL', 0.6, 0.6],
  ['2947-0', 'Sodium [Moles/volume] in Blood', 'mmol/L', 136, 6],
  ['6298-4', 'Potassium [Moles/volume] in Blood', 'mmol/L', 3.6, 1.2],
  ['718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 11.5, 4],
  ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 4, 6],
];

const PROBLEMS: [string, string][] = [
  ['59621000', 'Essential hypertension (disorder)'],
  ['55822004', 'Hyperlipidemia (disorder)'],
  ['444814009', 'Viral sinusitis (disorder)'],
  ['195662009', 'Acute viral pharyngitis (disorder)'],
  ['10509002', 'Acute bronchitis (disorder)'],
  ['160903007', 'Full-time employment (finding)'],
  ['73595000', 'Stress (finding)'],
  ['66383009', 'Gingivitis (disorder)'],
];

const DRUGS: [string, string][] = [
  ['314076', 'lisinopril 10 MG Oral Tablet'],
  ['197361', 'amlodipine 5 MG Oral Tablet'],
  ['259255', 'atorvastatin 80 MG Oral Tablet'],
  ['313782', 'acetaminophen 325 MG Oral Tablet'],
  ['308136', 'amlodipine 2.5 MG Oral Tablet'],
];

/** A small linear congruential generator: the same seed gives the same patient. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function day(base: number, offset: number): string {
  return new Date(Date.UTC(2016, 0, 1) + (base + offset) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A patient Bundle plus `extra` routine resources: by default the shipped example (≈ 300
 * resources in all); bench pads a generated patient with it to make the large one.
 */
export function typicalPatientBundle(extra = 280, seed = 42, start?: Json): Json {
  const example = (start ? structuredClone(start) : JSON.parse(readFileSync(EXAMPLE, 'utf8'))) as { entry: { fullUrl: string; resource: Json }[] };
  const patient = example.entry[0]!.resource;
  const subject = { reference: `Patient/${String(patient.id)}` };
  const rand = lcg(seed);
  const entries = [...example.entry];
  const base = 'https://ehr.example.org/fhir';
  let n = 0;
  const add = (resource: Json): void => {
    const id = `rt-${String(n++).padStart(5, '0')}`;
    resource.id = id;
    entries.push({ fullUrl: `${base}/${String(resource.resourceType)}/${id}`, resource });
  };
  while (n < extra) {
    const visit = Math.floor(rand() * 3800);
    const encounterId = `rt-${String(n).padStart(5, '0')}`;
    add({
      resourceType: 'Encounter',
      status: 'finished',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      type: [{ coding: [{ system: 'http://snomed.info/sct', code: '185349003', display: 'Encounter for check up (procedure)' }] }],
      subject,
      period: { start: `${day(visit, 0)}T09:00:00-05:00`, end: `${day(visit, 0)}T09:30:00-05:00` },
    });
    for (const [code, display, unit, low, span] of VITALS) {
      if (n >= extra) break;
      add({
        resourceType: 'Observation',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
        subject,
        encounter: { reference: `Encounter/${encounterId}` },
        effectiveDateTime: `${day(visit, 0)}T09:10:00-05:00`,
        issued: `${day(visit, 0)}T09:10:00.000-05:00`,
        valueQuantity: { value: Math.round((low + rand() * span) * 10) / 10, unit, system: 'http://unitsofmeasure.org', code: unit },
      });
    }
    if (rand() < 0.5 && n < extra) {
      const [code, display] = PROBLEMS[Math.floor(rand() * PROBLEMS.length)]!;
      add({
        resourceType: 'Condition',
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'resolved' }] },
        verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
        code: { coding: [{ system: 'http://snomed.info/sct', code, display }], text: display },
        subject,
        encounter: { reference: `Encounter/${encounterId}` },
        onsetDateTime: `${day(visit, 0)}T09:00:00-05:00`,
        abatementDateTime: `${day(visit, 14)}T09:00:00-05:00`,
        recordedDate: `${day(visit, 0)}T09:00:00-05:00`,
      });
    }
    if (rand() < 0.6 && n < extra) {
      const [code, display] = DRUGS[Math.floor(rand() * DRUGS.length)]!;
      add({
        resourceType: 'MedicationRequest',
        status: 'stopped',
        intent: 'order',
        medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display }], text: display },
        subject,
        encounter: { reference: `Encounter/${encounterId}` },
        authoredOn: `${day(visit, 0)}T09:20:00-05:00`,
        requester: { reference: 'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999974394', display: 'Dr. Example' },
        dosageInstruction: [
          {
            sequence: 1,
            timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
            asNeededBoolean: false,
            doseAndRate: [{ doseQuantity: { value: 1 } }],
          },
        ],
      });
    }
    if (rand() < 0.3 && n < extra) {
      add({
        resourceType: 'Procedure',
        status: 'completed',
        code: { coding: [{ system: 'http://snomed.info/sct', code: '430193006', display: 'Medication reconciliation (procedure)' }] },
        subject,
        encounter: { reference: `Encounter/${encounterId}` },
        performedPeriod: { start: `${day(visit, 0)}T09:00:00-05:00`, end: `${day(visit, 0)}T09:15:00-05:00` },
      });
    }
  }
  return { resourceType: 'Bundle', type: 'collection', entry: entries };
}
