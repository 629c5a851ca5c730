// Writes a type 2 diabetes patient's record from its plan: the routine history (which leaves
// the cardiometabolic care to this record), then the diabetes, kidney and cardiovascular
// conditions, lab visits, medication courses, NYHA classes, procedures, allergies and family
// history the glp1-ckd criteria read.

import { NYHA_LOCAL, NYHA_OBSERVATION, NYHA_SNOMED } from './glp1-vocabulary.js';
import { writePatient } from './patient-demographics.js';
import { DAILY, qty, type RecordBuilder, WEEKLY } from './record-builder.js';
import { routineHistory } from './routine-history.js';
import type { LabResult, MedCourse, T2dPlan } from './t2d-plan.js';
import { ENCOUNTER_TYPES, snomed } from './vocabulary.js';

/** A repeat prescription is renewed at most this many times; earlier records cover longer. */
const MAX_RENEWALS = 6;
const RENEWAL_DAYS = 90;

export function writeT2dPatient(b: RecordBuilder, plan: T2dPlan, clean: boolean): void {
  writePatient(b, plan.person);
  routineHistory(b, plan.person, { clean, intensity: plan.intensity, ownCardiometabolicCare: true });
  for (const c of plan.conditions) {
    b.condition({ codings: c.codings, onsetDay: c.onset, recordedDay: c.recorded, abatementDay: c.abatement, verification: c.verification, clinical: c.clinical });
  }
  labVisits(b, plan.labs);
  for (const m of plan.meds) course(b, m);
  for (const n of plan.nyha) {
    if (n.form === 'observation') {
      b.observation({ coding: NYHA_OBSERVATION, day: n.day, category: 'exam', value: { valueCodeableConcept: { coding: [NYHA_SNOMED[n.cls - 1]!, NYHA_LOCAL[n.cls - 1]!] } } });
    } else {
      b.condition({ codings: [NYHA_SNOMED[n.cls - 1]!], onsetDay: n.day });
    }
  }
  for (const p of plan.procedures) b.procedure({ coding: p.coding, day: p.day });
  for (const a of plan.allergies) {
    b.allergy({ code: a.code, category: 'medication', day: a.day, manifestation: snomed('41291007', 'Angioedema (disorder)'), verification: a.verification });
  }
  for (const f of plan.family) b.familyMemberHistory({ relationship: f.relationship, codings: f.codings, day: b.cal.today - 400 });
}

/** Labs of one day share an encounter, as a lab visit does. */
function labVisits(b: RecordBuilder, labs: readonly LabResult[]): void {
  const byDay = new Map<number, LabResult[]>();
  for (const l of labs) {
    const list = byDay.get(l.day);
    if (list) list.push(l);
    else byDay.set(l.day, [l]);
  }
  for (const [day, results] of [...byDay].sort((x, y) => x[0] - y[0])) {
    const enc = b.encounter({ day, cls: 'AMB', type: ENCOUNTER_TYPES.followUp });
    for (const l of results) {
      b.observation({ coding: l.coding, day, category: 'laboratory', encounter: enc, value: { valueQuantity: qty(l.value, l.unit) } });
    }
  }
}

/**
 * A course as records: a MedicationStatement over the whole span, or repeat MedicationRequests
 * (each earlier one completed over its validity period, the last one active and open while the
 * course goes on). No start: one active record with no dates at all (current, start unknown).
 */
function course(b: RecordBuilder, m: MedCourse): void {
  const { cal } = b;
  const med = { kind: 'concept' as const, codings: m.drug.codings, text: m.drug.text };
  const timing = m.drug.cls === 'glp1' && !m.drug.text.includes('Oral') ? WEEKLY : DAILY;
  if (m.start === undefined) {
    b.medicationStatement({ med, status: 'active', asserted: cal.today - 30, dose: { value: 1 }, timing });
    return;
  }
  if (m.form === 'statement') {
    b.medicationStatement({ med, start: m.start, end: m.end, status: m.end === undefined ? 'active' : 'completed', asserted: m.end ?? m.start, dose: { value: 1 }, timing });
    return;
  }
  const last = m.end ?? cal.today;
  const step = Math.max(RENEWAL_DAYS, Math.ceil((last - m.start + 1) / MAX_RENEWALS));
  for (let day = m.start; day <= last; day += step) {
    const next = day + step;
    if (next <= last) {
      b.medicationRequest({ med, day, status: 'completed', dose: { value: 1 }, timing, validity: [day, next - 1] });
    } else if (m.end !== undefined) {
      b.medicationRequest({ med, day, status: 'completed', dose: { value: 1 }, timing, validity: [day, m.end] });
    } else {
      b.medicationRequest({ med, day, status: 'active', dose: { value: 1 }, timing });
    }
  }
}
