// Writes a myositis patient's record from its plan: the routine history (clean), then the
// diagnosis, work-up, treatment and rheumatology follow-up the study criteria read.

import { writePatient } from './patient-demographics.js';
import type { Rng } from './random.js';
import { DAILY, type MedicationForm, qty, type RecordBuilder, TWICE_DAILY, WEEKLY } from './record-builder.js';
import type { DoseStep, MyositisPlan } from './myositis-plan.js';
import { routineHistory } from './routine-history.js';
import {
  AB,
  AGENT,
  CSM,
  EMG,
  LAB,
  METHOTREXATE_25_TABLET,
  MRI_THIGH,
  MUSCLE_BIOPSY,
  NEGATIVE,
  POSITIVE,
  PREDNISONE_5_TABLET,
  ROUTE,
  SEROLOGY,
  type StudyLab,
} from './study-vocabulary.js';
import { type Coding, ENCOUNTER_TYPES, loinc, rxnorm, snomed } from './vocabulary.js';

const RHEUM_VISIT = snomed('390906007', 'Follow-up encounter (procedure)');

export function writeMyositisPatient(b: RecordBuilder, plan: MyositisPlan): void {
  const { cal } = b;
  writePatient(b, plan.person);
  routineHistory(b, plan.person, { clean: true, intensity: plan.intensity });

  const dxDay = Math.min(plan.diagnosed, cal.today);
  const dxEnc = b.encounter({ day: dxDay, cls: 'AMB', type: ENCOUNTER_TYPES.consult, reason: plan.diagnosisCodings[0] });
  b.condition({
    codings: plan.diagnosisCodings,
    onsetDay: plan.onset,
    onsetDate: true,
    recordedDay: dxDay,
    encounter: dxEnc,
    verification: plan.diagnosisVerification,
  });
  if (plan.duplicateDiagnosis && plan.diagnosisVerification === 'confirmed') {
    b.condition({ codings: plan.duplicateDiagnosis, onsetDay: plan.onset, onsetDate: true, recordedDay: Math.min(cal.today, dxDay + 30), category: 'problem-list-item' });
  }

  workUp(b, plan, dxDay, dxEnc);
  glucocorticoid(b, plan);
  immunosuppressant(b, plan);
  supportive(b, plan);
  followUp(b, plan);
  for (const extra of plan.extras) extra(b, plan);
}

function labValue(b: RecordBuilder, lab: StudyLab, day: number, value: number, enc?: string): void {
  const high = lab.uln;
  b.observation({
    coding: lab.coding,
    day,
    category: 'laboratory',
    encounter: enc,
    value: { valueQuantity: qty(value, lab.unit) },
    referenceRange: high !== undefined ? { low: lab.low, high, unit: lab.unit } : undefined,
    interpretation: high !== undefined ? (value > high ? 'H' : lab.low !== undefined && value < lab.low ? 'L' : 'N') : undefined,
  });
}

function round(v: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

function enzymes(b: RecordBuilder, day: number, enc: string, m: MyositisPlan['enzymes']): void {
  labValue(b, LAB.ck, day, Math.round(m.ck * LAB.ck.uln), enc);
  labValue(b, LAB.aldolase, day, round(m.aldolase * LAB.aldolase.uln, 1), enc);
  labValue(b, LAB.ldh, day, Math.round(m.ldh * LAB.ldh.uln), enc);
  labValue(b, LAB.alt, day, Math.round(m.alt * LAB.alt.uln), enc);
  labValue(b, LAB.ast, day, Math.round(m.ast * LAB.ast.uln), enc);
}

/** A qualitative antibody result in one of the forms labs send. */
export function antibody(b: RecordBuilder, coding: Coding, day: number, positive: boolean, form: 'concept' | 'string' | 'interpretation', enc?: string): void {
  const value =
    form === 'concept'
      ? { valueCodeableConcept: { coding: [positive ? POSITIVE : NEGATIVE], text: positive ? 'Positive' : 'Negative' } }
      : form === 'string'
        ? { valueString: positive ? b.rng.pick(['Positive', 'POSITIVE', 'positive ']) : b.rng.pick(['Negative', 'NEG', 'negative']) }
        : undefined;
  b.observation({ coding, day, category: 'laboratory', encounter: enc, value, interpretation: positive ? 'POS' : 'NEG' });
}

export function anaTitre(b: RecordBuilder, day: number, titre: number, form: 'ratio' | 'string' | 'quantity', enc?: string): void {
  const value =
    form === 'ratio'
      ? { valueRatio: { numerator: { value: 1 }, denominator: { value: titre } } }
      : form === 'string'
        ? { valueString: `1:${titre}` }
        : { valueQuantity: { value: titre, unit: '{titer}', system: 'http://unitsofmeasure.org', code: '{titer}' } };
  b.observation({ coding: AB.ana, day, category: 'laboratory', encounter: enc, value, interpretation: titre >= 160 ? 'A' : 'N' });
}

function workUp(b: RecordBuilder, plan: MyositisPlan, day: number, enc: string): void {
  const { rng, cal } = b;
  const severe = { ck: rng.round(4, 30, 1), aldolase: rng.round(2, 6, 1), ldh: rng.round(1.5, 3, 1), alt: rng.round(1.5, 4, 1), ast: rng.round(2, 6, 1) };
  enzymes(b, day, enc, severe);
  if (plan.anaTitre !== null) anaTitre(b, day, plan.anaTitre, plan.anaForm, enc);
  for (const c of plan.msaPositive) antibody(b, c, day, true, plan.abForm, enc);
  for (const c of plan.msaNegative) antibody(b, c, day, false, plan.abForm, enc);
  if (plan.otherAbNegative) for (const c of [AB.rnp, AB.ssa, AB.ssb]) antibody(b, c, day, false, plan.abForm, enc);
  serology(b, plan);
  if (plan.biopsy !== null && plan.biopsy <= cal.today) {
    const e = b.encounter({ day: plan.biopsy, cls: 'AMB', type: snomed('305408004', 'Admission to surgical department (procedure)') });
    b.procedure({ coding: MUSCLE_BIOPSY, day: plan.biopsy, encounter: e });
  }
  for (const d of plan.mri) if (d <= cal.today) b.procedure({ coding: MRI_THIGH, day: d });
  if (rng.chance(0.5) && day + 7 <= cal.today) b.procedure({ coding: EMG, day: day + 7 });
}

function serology(b: RecordBuilder, plan: MyositisPlan): void {
  const s = plan.serology;
  const form = plan.abForm === 'string' ? 'string' : 'concept';
  antibody(b, SEROLOGY.hbsag, s.day, s.hbsag, form);
  antibody(b, SEROLOGY.hbcab, s.day, s.hbcab, form);
  antibody(b, SEROLOGY.hcvab, s.day, s.hcvab, form);
  if (s.hcvRna !== null) {
    b.observation({
      coding: SEROLOGY.hcvRna,
      day: s.day,
      category: 'laboratory',
      value: { valueCodeableConcept: { coding: [s.hcvRna ? snomed('260373001', 'Detected') : snomed('260415000', 'Not detected')] } },
      interpretation: s.hcvRna ? 'DET' : 'ND',
    });
  }
}

function gcForm(plan: MyositisPlan, mg: number): { med: MedicationForm; dose: { value: number; unit?: 'mg' } } {
  const agent = AGENT[plan.gcAgent];
  const name = plan.gcAgent;
  switch (plan.gcStyle) {
    case 'request-tablets':
      if (plan.gcAgent === 'prednisone' && (mg * 2) % 5 === 0) {
        return { med: { kind: 'concept', codings: [PREDNISONE_5_TABLET] }, dose: { value: mg / 5 } };
      }
      return { med: { kind: 'concept', codings: [agent.ingredient, agent.atc] }, dose: { value: mg, unit: 'mg' } };
    case 'contained':
      return { med: { kind: 'contained', codings: [agent.ingredient], text: name }, dose: { value: mg, unit: 'mg' } };
    case 'referenced':
      return { med: { kind: 'reference', codings: [agent.ingredient, agent.atc], text: name }, dose: { value: mg, unit: 'mg' } };
    default:
      return { med: { kind: 'concept', codings: [agent.ingredient, agent.atc] }, dose: { value: mg, unit: 'mg' } };
  }
}

function glucocorticoid(b: RecordBuilder, plan: MyositisPlan): void {
  const statement = plan.gcStyle === 'statement' || plan.gcStyle === 'referenced';
  for (const step of plan.gcSteps) {
    const { med, dose } = gcForm(plan, step.mg);
    writeStep(b, step, med, dose, DAILY, ROUTE.oral, statement, step.end === undefined ? plan.gcRenewals : []);
  }
}

/**
 * One dose step as a statement (effectivePeriod) or as requests: an ended step is one request
 * with a validity period; the current one is renewed every 84 days (28-day supply, 2 repeats)
 * at the same dose, plus any renewals the plan adds.
 */
function writeStep(
  b: RecordBuilder,
  step: DoseStep,
  med: MedicationForm,
  dose: { value: number; unit?: 'mg' },
  timing: typeof DAILY,
  route: Coding,
  statement: boolean,
  renewals: number[],
): void {
  const { cal } = b;
  if (step.start > cal.today) return;
  if (statement) {
    b.medicationStatement({
      med, start: step.start, end: step.end, status: step.end === undefined ? 'active' : 'completed',
      dose, timing, route, asserted: step.start,
    });
    return;
  }
  if (step.end !== undefined) {
    // A long step is a run of renewals, each valid for up to 84 days.
    for (let d = step.start; d <= step.end && d <= cal.today; d += 84) {
      b.medicationRequest({ med, day: d, status: 'completed', dose, timing, route, validity: [d, Math.min(step.end, d + 83)] });
    }
    return;
  }
  const days: number[] = [];
  for (let d = step.start; d <= cal.today; d += 84) days.push(d);
  for (const r of renewals) if (r > step.start && r <= cal.today && !days.includes(r)) days.push(r);
  days.sort((x, y) => x - y);
  days.forEach((d, i) => {
    b.medicationRequest({
      med, day: d, status: i === days.length - 1 ? 'active' : 'completed', dose, timing, route,
      supply: { days: 28, repeats: 2 },
    });
  });
}

function immunosuppressant(b: RecordBuilder, plan: MyositisPlan): void {
  if (!plan.isAgent) return;
  const agent = AGENT[plan.isAgent];
  const statement = b.rng.chance(0.4);
  for (const step of plan.isSteps) {
    if (plan.isAgent === 'methotrexate') {
      const tablets = b.rng.chance(0.5);
      const med: MedicationForm = tablets ? { kind: 'concept', codings: [METHOTREXATE_25_TABLET] } : { kind: 'concept', codings: [agent.ingredient, agent.atc] };
      writeStep(b, step, med, tablets ? { value: step.mg / 2.5 } : { value: step.mg, unit: 'mg' }, WEEKLY, ROUTE.oral, statement, []);
    } else if (plan.isAgent === 'azathioprine') {
      writeStep(b, step, { kind: 'concept', codings: [agent.ingredient], text: 'azathioprine 50 MG Oral Tablet' }, { value: step.mg / 50 }, DAILY, ROUTE.oral, statement, []);
    } else {
      writeStep(b, step, { kind: 'concept', codings: [agent.ingredient, agent.atc], text: 'mycophenolate mofetil 500 MG Oral Tablet' }, { value: step.mg, unit: 'mg' }, TWICE_DAILY, ROUTE.oral, statement, []);
    }
  }
}

function supportive(b: RecordBuilder, plan: MyositisPlan): void {
  const { cal } = b;
  const start = Math.min(cal.today, plan.diagnosed);
  b.medicationStatement({ med: { kind: 'concept', codings: [rxnorm('1897', 'calcium carbonate')] }, start, status: 'active', dose: { value: 1 }, timing: DAILY, asserted: start });
  if (plan.isAgent === 'methotrexate') {
    b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('4511', 'folic acid')] }, day: start, status: 'active', dose: { value: 1, unit: 'mg' }, timing: DAILY });
  }
}

function lerp(from: number, to: number, t: number): number {
  return from + (to - from) * t;
}

function followUp(b: RecordBuilder, plan: MyositisPlan): void {
  const { rng, cal } = b;
  const n = plan.visits.length;
  const L = plan.latest;
  const dm = plan.subtype === 'dm';
  plan.visits.forEach((day, i) => {
    if (day > cal.today) return;
    const last = i === n - 1;
    const t = n === 1 ? 1 : i / (n - 1);
    const enc = b.encounter({ day, cls: 'AMB', type: RHEUM_VISIT, reason: plan.diagnosisCodings[0] });
    const jitter = (v: number, sd: number) => (last ? v : v + rng.normal(0, sd));
    const csm = (coding: Coding, value: number, unit: string, category: 'exam' | 'survey' = 'exam') =>
      b.observation({ coding, day, category, encounter: enc, value: { valueQuantity: qty(value, unit) }, dateOnly: rng.chance(0.3) });
    csm(CSM.mmt8, last ? L.mmt8 : Math.round(Math.min(150, jitter(lerp(95, L.mmt8, t), 6))), '{score}');
    csm(CSM.physGlobal, round(Math.max(0, jitter(lerp(7, L.physGlobal, t), 0.8)), 1), 'cm');
    csm(CSM.ptGlobal, round(Math.max(0, jitter(lerp(7.5, L.ptGlobal, t), 0.8)), 1), 'cm');
    csm(CSM.haq, last ? L.haq : round(Math.max(0, lerp(2, L.haq, t)), 3), '{score}', 'survey');
    csm(CSM.extramuscular, round(Math.max(0, jitter(lerp(dm ? 5 : 1.5, L.extramuscular, t), 0.5)), 1), 'cm');
    if (L.cutaneous !== null) csm(CSM.cutaneous, round(Math.max(0, jitter(lerp(7, L.cutaneous, t), 0.6)), 1), 'cm');
    if (last || i % 4 === 3) {
      const mdi = last ? L.mdi : round(Math.max(0, rng.float(0.5, 3)), 1);
      csm(CSM.mdi, L.mdiUnit === 'mm' ? Math.round(mdi * 10) : mdi, L.mdiUnit);
    }
    if (last) {
      enzymes(b, day, enc, plan.enzymes);
    } else {
      const k = lerp(3, 1, t);
      enzymes(b, day, enc, {
        ck: plan.enzymes.ck * k * rng.float(0.8, 1.2),
        aldolase: plan.enzymes.aldolase * rng.float(0.8, 1.2),
        ldh: plan.enzymes.ldh * rng.float(0.8, 1.1),
        alt: plan.enzymes.alt * rng.float(0.8, 1.1),
        ast: plan.enzymes.ast * rng.float(0.8, 1.1),
      });
    }
    b.observation({ coding: loinc('29463-7', 'Body Weight'), day, category: 'vital-signs', encounter: enc, value: { valueQuantity: qty(round(rng.normal(72, 3), 1), 'kg') } });
    b.observation({
      coding: loinc('85354-9', 'Blood pressure panel with all children optional'),
      day, category: 'vital-signs', encounter: enc,
      component: [
        { code: { coding: [loinc('8462-4', 'Diastolic Blood Pressure')] }, valueQuantity: qty(rng.int(68, 88), 'mm[Hg]') },
        { code: { coding: [loinc('8480-6', 'Systolic Blood Pressure')] }, valueQuantity: qty(rng.int(112, 142), 'mm[Hg]') },
      ],
    });
    if (!last && rng.chance(0.5)) liverLabs(b, day, enc, { ggt: rng.int(15, 45), bili: plan.liver.biliUnit === 'mg/dL' ? round(rng.float(0.3, 0.9), 1) : rng.int(5, 15), biliUnit: plan.liver.biliUnit, biliDirect: null, inr: round(rng.float(0.9, 1.1), 1) });
    if (!last && i % 4 === 1) immunoglobulins(b, day, rng, plan.ig.unit === 'mg/dL' ? { igg: rng.int(800, 1400), iga: rng.int(100, 300), unit: 'mg/dL' } : { igg: round(rng.float(8, 14), 1), iga: round(rng.float(1, 3), 1), unit: 'g/L' });
  });
  if (plan.ig.day <= cal.today) immunoglobulins(b, plan.ig.day, rng, plan.ig);
  if (plan.liver.day <= cal.today) liverLabs(b, plan.liver.day, undefined, plan.liver);
}

function immunoglobulins(b: RecordBuilder, day: number, rng: Rng, ig: { igg: number; iga: number; unit: 'mg/dL' | 'g/L' }): void {
  const gl = ig.unit === 'g/L';
  b.observation({
    coding: LAB.igg.coding, day, category: 'laboratory',
    value: { valueQuantity: qty(ig.igg, ig.unit) },
    referenceRange: gl ? { low: 7, high: 16, unit: 'g/L' } : { low: 700, high: 1600, unit: 'mg/dL' },
  });
  b.observation({
    coding: LAB.iga.coding, day, category: 'laboratory',
    value: { valueQuantity: qty(ig.iga, ig.unit) },
    referenceRange: gl ? { low: 0.7, high: 4, unit: 'g/L' } : { low: 70, high: 400, unit: 'mg/dL' },
  });
  void rng;
}

function liverLabs(b: RecordBuilder, day: number, enc: string | undefined, l: { ggt: number; bili: number; biliUnit: 'mg/dL' | 'umol/L'; biliDirect: number | null; inr: number }): void {
  labValue(b, LAB.ggt, day, l.ggt, enc);
  labValue(b, l.biliUnit === 'mg/dL' ? LAB.bili : LAB.biliMolar, day, l.bili, enc);
  if (l.biliDirect !== null) labValue(b, LAB.biliDirect, day, l.biliDirect, enc);
  b.observation({ coding: LAB.inr.coding, day, category: 'laboratory', encounter: enc, value: { valueQuantity: qty(l.inr, '{INR}') } });
}
