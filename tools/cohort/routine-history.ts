// The routine part of a record, as a Synthea export carries it: check-ups with vitals and lab
// panels, chronic problems with repeat prescriptions (clinical-drug codes, product-unit doses),
// acute episodes with short antibiotic courses, immunisations, screening procedures, the odd
// inpatient stay and allergy. `clean` leaves out everything a study criterion would read
// (used under a myositis patient's study records, so that only the scenario decides).

import type { Person } from './patient-demographics.js';
import { DAILY, type Dose, qty, type RecordBuilder, type Timing } from './record-builder.js';
import { AGENT, ROUTE } from './study-vocabulary.js';
import {
  ACETAMINOPHEN,
  ACUTE,
  ALLERGIES,
  AZITHROMYCIN_250,
  CBC_PANEL,
  CEFTRIAXONE_IV,
  CHECKUP_PROCEDURES,
  CHRONIC,
  type Drug,
  ENCOUNTER_TYPES,
  FINDINGS,
  HBA1C,
  HEPARIN_SC,
  IBUPROFEN,
  INPATIENT_REASONS,
  type LabDef,
  LIPID_PANEL,
  loinc,
  METABOLIC_PANEL,
  OCCASIONAL_PROCEDURES,
  rxnorm,
  SMOKING_STATUS,
  SMOKING_VALUES,
  snomed,
  VACCINES,
  VITALS,
} from './vocabulary.js';

export interface RoutineOptions {
  /** No exclusion-relevant or criterion-relevant records (myositis patients). */
  clean: boolean;
  /** Scales how much care the person uses (1 = typical). */
  intensity: number;
  /**
   * The caller writes the person's diabetes, blood pressure and kidney care itself (a type 2
   * diabetes patient): leave out hypertension and its drugs, prediabetes, CKD, HbA1c and the
   * metabolic panel's creatinine, which would otherwise compete with that record's own.
   */
  ownCardiometabolicCare?: boolean;
}

/** SNOMED codes of the chronic problems a T2D patient's own record writes instead. */
const CARDIOMETABOLIC = new Set(['59621000', '15777000', '431855005']);
const CREATININE_LOINC = '38483-4';
const T2D = '44054006';

function ageAt(person: Person, day: number): number {
  return (day - person.birthDay) / 365.25;
}

function timingOf(perDay: number): Timing {
  return perDay === 1 ? DAILY : { frequency: perDay, period: 1, periodUnit: 'd' };
}

export function routineHistory(b: RecordBuilder, person: Person, opts: RoutineOptions): void {
  const { rng, cal } = b;
  const last = person.deceasedDay ?? cal.today;
  const ageNow = ageAt(person, last);
  const coverageYears = Math.min(Math.max(ageNow, 0.5), rng.weighted([[1, 2], [3, 3], [6, 3], [10, 2]] as const) * opts.intensity);
  const first = Math.max(person.birthDay + 1, Math.round(last - coverageYears * 365));
  const span = Math.max(1, last - first);
  const utilisation = Math.exp(rng.normal(0, 0.45)) * opts.intensity;
  const smoking = rng.weighted([[0, 6], [1, 2], [2, 2]] as const);

  // Chronic problems first: check-ups then order HbA1c for diabetes and so on.
  const problems: { id: string; diabetic: boolean }[] = [];
  for (const p of CHRONIC) {
    // An anticoagulant would decide exc-liver-labs' INR clause: scenarios add their own.
    if (opts.clean && p.snomed.code === '49436004') continue;
    if (opts.ownCardiometabolicCare && CARDIOMETABOLIC.has(p.snomed.code)) continue;
    let prob = 0;
    for (const [from, pr] of p.prevalence) if (ageNow >= from) prob = pr;
    if (!rng.chance(prob)) continue;
    if (p.snomed.code === T2D) continue;
    const onset = Math.max(person.birthDay + 365, last - rng.int(30, 365 * 15));
    const enc = b.encounter({ day: Math.max(onset, first), cls: 'AMB', type: ENCOUNTER_TYPES.problem, reason: p.snomed });
    const id = b.condition({ codings: rng.chance(0.8) ? [p.snomed] : [p.icd, p.snomed], onsetDay: onset, encounter: enc });
    problems.push({ id, diabetic: p.snomed.code === '15777000' });
    if (p.drugs.length > 0) repeatPrescriptions(b, rng.pick(p.drugs), Math.max(onset, first), last, id, person);
  }

  const checkups = Math.max(1, rng.poisson((span / 365) * 0.62 * utilisation));
  for (let i = 0; i < checkups; i++) {
    const day = first + Math.floor(((i + rng.next()) / checkups) * span);
    checkup(b, person, day, smoking, problems.some((p) => p.diabetic), opts);
  }

  const acute = rng.poisson((span / 365) * 0.4 * utilisation);
  for (let i = 0; i < acute; i++) acuteEpisode(b, person, first + rng.int(0, span), opts);

  if (rng.chance(0.05 * utilisation)) {
    const day = opts.clean ? first + rng.int(0, Math.max(0, span - 120)) : first + rng.int(0, span);
    if (!opts.clean || day < cal.today - 120) inpatientStay(b, day, opts);
  }

  if (rng.chance(0.12)) {
    const n = rng.int(1, 2);
    for (let i = 0; i < n; i++) {
      const a = rng.pick(ALLERGIES);
      b.allergy({ code: a.code, category: a.category, day: first + rng.int(0, span), manifestation: a.manifestation, criticality: a.manifestation?.code === '39579001' ? 'high' : 'low' });
    }
  }

  if (rng.chance(0.2)) {
    const otc = rng.pick([
      rxnorm('243670', 'Aspirin 81 MG Oral Tablet'),
      rxnorm('310965', 'Ibuprofen 200 MG Oral Tablet'),
      rxnorm('310325', 'ferrous sulfate 325 MG Oral Tablet'),
    ]);
    const start = first + rng.int(0, span);
    const ongoing = rng.chance(0.5);
    b.medicationStatement({
      med: { kind: 'concept', codings: [otc] },
      start,
      end: ongoing ? undefined : Math.min(last, start + rng.int(14, 200)),
      status: ongoing && !person.deceasedDay ? 'active' : 'completed',
      dose: { value: 1 },
      timing: DAILY,
      asserted: start,
    });
  }

  if (person.gender === 'female' && !opts.clean) femaleHistory(b, person, first, last);
  if (!opts.clean) exclusionHistory(b, person, first, last);
}

function repeatPrescriptions(b: RecordBuilder, drug: Drug, from: number, last: number, reason: string, person: Person): void {
  const { rng } = b;
  const interval = rng.pick([90, 180, 365]);
  const count = Math.min(8, Math.max(1, Math.ceil((last - from) / interval)));
  const withDosage = rng.chance(0.35);
  for (let i = 0; i < count; i++) {
    const day = Math.max(from, last - (count - 1 - i) * interval - rng.int(0, 20));
    const current = i === count - 1 && person.deceasedDay === undefined;
    b.medicationRequest({
      med: { kind: 'concept', codings: [drug.coding] },
      day,
      status: current ? 'active' : 'stopped',
      dose: withDosage ? { value: drug.units } : undefined,
      timing: withDosage ? timingOf(drug.perDay) : undefined,
      reason,
    });
  }
}

function labs(b: RecordBuilder, day: number, enc: string, panel: readonly LabDef[]): void {
  const { rng } = b;
  for (const [code, display, unit, mean, sd, dec] of panel) {
    const f = 10 ** dec;
    b.observation({
      coding: loinc(code, display),
      day,
      category: 'laboratory',
      encounter: enc,
      value: { valueQuantity: qty(Math.round(rng.normal(mean, sd, 0) * f) / f, unit) },
    });
  }
}

function checkup(b: RecordBuilder, person: Person, day: number, smoking: number, diabetic: boolean, opts: RoutineOptions): void {
  const { rng } = b;
  const age = ageAt(person, day);
  const enc = b.encounter({ day, cls: 'AMB', type: ENCOUNTER_TYPES.checkup });
  // Blood pressure as a panel with components, then the other vitals.
  const sys = Math.round(rng.normal(118 + age * 0.3, 10, 85));
  b.observation({
    coding: loinc('85354-9', 'Blood pressure panel with all children optional'),
    day,
    category: 'vital-signs',
    encounter: enc,
    component: [
      { code: { coding: [loinc('8462-4', 'Diastolic Blood Pressure')] }, valueQuantity: qty(Math.round(sys * 0.65), 'mm[Hg]') },
      { code: { coding: [loinc('8480-6', 'Systolic Blood Pressure')] }, valueQuantity: qty(sys, 'mm[Hg]') },
    ],
  });
  const vitals = age < 18 ? VITALS.slice(0, 3) : VITALS;
  labs(b, day, enc, vitals);
  if (age >= 12) {
    b.observation({ coding: SMOKING_STATUS, day, category: 'social-history', encounter: enc, value: { valueCodeableConcept: { coding: [SMOKING_VALUES[smoking]!], text: SMOKING_VALUES[smoking]!.display } } });
  }
  if (age >= 18 && rng.chance(0.35)) labs(b, day, enc, opts.ownCardiometabolicCare ? METABOLIC_PANEL.filter((l) => l[0] !== CREATININE_LOINC) : METABOLIC_PANEL);
  if (rng.chance(0.22)) labs(b, day, enc, CBC_PANEL);
  if (age >= 30 && rng.chance(0.2)) labs(b, day, enc, LIPID_PANEL);
  if (diabetic) labs(b, day, enc, [HBA1C]);
  if (age >= 18) {
    const n = rng.int(0, 2);
    for (let i = 0; i < n; i++) b.procedure({ coding: rng.pick(CHECKUP_PROCEDURES), day, encounter: enc });
  }
  if (rng.chance(0.06)) {
    const p = rng.pick(OCCASIONAL_PROCEDURES);
    if (p.code !== '24623002' || (person.gender === 'female' && age >= 40)) b.procedure({ coding: p, day, encounter: enc });
  }
  if (rng.chance(0.55)) b.immunization({ cvx: VACCINES[0]!.cvx, day, encounter: enc });
  if (rng.chance(0.12)) {
    const v = rng.pick(VACCINES.slice(1));
    if (age >= v.fromAge && age <= v.toAge) b.immunization({ cvx: v.cvx, day, encounter: enc });
  }
  if (age >= 16 && rng.chance(0.25)) {
    b.condition({ codings: [rng.pick(FINDINGS)], onsetDay: day, abatementDay: rng.chance(0.7) ? Math.min(b.cal.today, day + rng.int(200, 800)) : undefined, encounter: enc });
  }
  void opts;
}

function acuteEpisode(b: RecordBuilder, person: Person, day: number, opts: RoutineOptions): void {
  const { rng, cal } = b;
  const p = rng.weighted(ACUTE.map((a) => [a, a.weight] as const));
  const enc = b.encounter({ day, cls: rng.chance(0.12) ? 'EMER' : 'AMB', type: rng.chance(0.5) ? ENCOUNTER_TYPES.urgent : ENCOUNTER_TYPES.problem, reason: p.snomed });
  const end = day + p.days + rng.int(-3, 5);
  const cond = b.condition({ codings: rng.chance(0.85) ? [p.snomed] : [p.icd], onsetDay: day, abatementDay: end <= cal.today ? end : undefined, encounter: enc });
  if (p.antibiotics.length > 0 && rng.chance(0.8)) {
    const d = rng.pick(p.antibiotics);
    b.medicationRequest({
      med: { kind: 'concept', codings: [d.coding] },
      day,
      status: day + 10 < cal.today ? 'stopped' : 'active',
      dose: { value: d.units },
      timing: timingOf(d.perDay),
      validity: [day, day + 10],
      encounter: enc,
      reason: cond,
    });
  } else if (!opts.clean && rng.chance(0.08)) {
    b.medicationRequest({ med: { kind: 'concept', codings: [AZITHROMYCIN_250.coding] }, day, status: 'stopped', dose: { value: 1 }, timing: DAILY, validity: [day, day + 4], encounter: enc, reason: cond });
  } else if (rng.chance(0.5)) {
    const d = rng.chance(0.5) ? IBUPROFEN : ACETAMINOPHEN;
    b.medicationRequest({ med: { kind: 'concept', codings: [d.coding] }, day, status: 'stopped', encounter: enc, reason: cond });
  }
  if (person.gender === 'female' && rng.chance(0.02)) void 0;
}

function inpatientStay(b: RecordBuilder, day: number, opts: RoutineOptions): void {
  const { rng, cal } = b;
  const reason = rng.pick(INPATIENT_REASONS);
  const end = Math.min(cal.today, day + rng.int(2, 6));
  const enc = b.encounter({ day, endDay: end, cls: 'IMP', type: ENCOUNTER_TYPES.inpatient, reason: rng.chance(0.6) ? reason.snomed : reason.icd });
  b.condition({ codings: [reason.snomed], onsetDay: day, abatementDay: end, encounter: enc });
  labs(b, day, enc, CBC_PANEL);
  labs(b, day, enc, opts.ownCardiometabolicCare ? METABOLIC_PANEL.filter((l) => l[0] !== CREATININE_LOINC) : METABOLIC_PANEL);
  b.procedure({ coding: snomed('399208008', 'Plain chest X-ray (procedure)'), day, encounter: enc });
  for (let d = day; d <= end; d++) {
    if (reason.infection) {
      b.medicationAdministration({ med: { kind: 'concept', codings: [CEFTRIAXONE_IV, AGENT.ceftriaxone.atc] }, day: d, status: 'completed', dose: { value: 1000, unit: 'mg' }, route: ROUTE.iv, encounter: enc });
    }
    b.medicationAdministration({ med: { kind: 'concept', codings: [HEPARIN_SC] }, day: d, status: 'completed', dose: { value: 1 }, route: ROUTE.sc, encounter: enc });
  }
  void opts;
}

function femaleHistory(b: RecordBuilder, person: Person, first: number, last: number): void {
  const { rng, cal } = b;
  const age = ageAt(person, last);
  if (age >= 18 && age < 45 && rng.chance(0.08)) {
    const start = rng.chance(0.3) ? cal.today - rng.int(20, 250) : first + rng.int(0, Math.max(0, last - first - 300));
    const end = start + rng.int(250, 285);
    const enc = b.encounter({ day: start + 50, cls: 'AMB', type: snomed('424441002', 'Prenatal initial visit (regime/therapy)') });
    b.condition({ codings: [snomed('72892002', 'Normal pregnancy')], onsetDay: start, abatementDay: end <= cal.today ? end : undefined, encounter: enc });
    b.observation({ coding: loinc('2106-3', 'Choriogonadotropin (pregnancy test) [Presence] in Urine'), day: start + 40, category: 'laboratory', encounter: enc, value: { valueCodeableConcept: { coding: [snomed('10828004', 'Positive')] } }, interpretation: 'POS' });
  }
  if (age >= 45 && age < 65 && rng.chance(0.25)) {
    b.condition({ codings: [rng.chance(0.5) ? { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'N95.1', display: 'Menopausal and female climacteric states' } : { system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'Z78.0', display: 'Asymptomatic menopausal state' }], onsetDay: person.birthDay + rng.int(45, 55) * 365, recordedDay: Math.max(first, person.birthDay + 52 * 365) });
  }
  if (age >= 40 && rng.chance(0.03)) {
    b.condition({ codings: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'Z90.710', display: 'Acquired absence of both cervix and uterus' }], onsetDay: first + rng.int(0, last - first), category: 'problem-list-item' });
  }
}

/** A small share of ordinary people carry on their own what the exclusions read. */
function exclusionHistory(b: RecordBuilder, person: Person, first: number, last: number): void {
  const { rng, cal } = b;
  const age = ageAt(person, last);
  if (age < 18) return;
  const span = Math.max(1, last - first);
  const i10 = (code: string, display: string) => ({ system: 'http://hl7.org/fhir/sid/icd-10-cm', code, display });
  const roll = rng.next();
  if (roll < 0.03 && age > 35) {
    // Cancer, with chemotherapy and a history code later on.
    const c = rng.pick([
      [snomed('254837009', 'Malignant neoplasm of breast (disorder)'), i10('C50.911', 'Malignant neoplasm of unspecified site of right female breast')],
      [snomed('254637007', 'Non-small cell lung cancer (disorder)'), i10('C34.90', 'Malignant neoplasm of unspecified part of unspecified bronchus or lung')],
      [snomed('363406005', 'Malignant neoplasm of colon (disorder)'), i10('C18.9', 'Malignant neoplasm of colon, unspecified')],
      [snomed('399068003', 'Malignant tumor of prostate (disorder)'), i10('C61', 'Malignant neoplasm of prostate')],
      [snomed('254701007', 'Basal cell carcinoma of skin (disorder)'), i10('C44.311', 'Basal cell carcinoma of skin of nose')],
    ] as const);
    const onset = first + rng.int(0, span);
    const resolved = rng.chance(0.5) && onset + 400 < cal.today;
    const enc = b.encounter({ day: onset, cls: 'AMB', type: ENCOUNTER_TYPES.consult, reason: c[0] });
    b.condition({ codings: rng.chance(0.5) ? [c[0]] : [c[1]], onsetDay: onset, abatementDay: resolved ? onset + rng.int(200, 400) : undefined, encounter: enc });
    if (c[1].code !== 'C44.311') {
      for (let k = 0; k < rng.int(2, 6); k++) {
        const d = onset + 14 + k * 21;
        if (d > cal.today) break;
        b.procedure({ coding: snomed('703423002', 'Combined chemotherapy and radiation therapy (procedure)'), day: d, encounter: enc });
        b.medicationAdministration({ med: { kind: 'concept', codings: [rxnorm('583214', 'PACLitaxel 100 MG Injection')] }, day: d, status: 'completed', route: ROUTE.iv, dose: { value: 1 } });
      }
      if (resolved && rng.chance(0.5)) b.condition({ codings: [i10('Z85.3', 'Personal history of malignant neoplasm of breast')], onsetDay: onset, recordedDay: Math.min(cal.today, onset + 500), category: 'problem-list-item' });
    }
  } else if (roll < 0.035) {
    const onset = first + rng.int(0, span);
    b.condition({ codings: rng.chance(0.5) ? [snomed('86406008', 'Human immunodeficiency virus infection (disorder)')] : [i10('B20', 'Human immunodeficiency virus [HIV] disease')], onsetDay: onset });
    const enc = b.encounter({ day: onset, cls: 'AMB', type: ENCOUNTER_TYPES.problem });
    b.observation({ coding: loinc('75622-1', 'HIV 1 and 2 Ab and HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay'), day: onset, category: 'laboratory', encounter: enc, value: { valueString: 'Reactive' }, interpretation: 'POS' });
  } else if (roll < 0.043) {
    const hbv = rng.chance(0.4);
    const onset = first + rng.int(0, span);
    b.condition({ codings: hbv ? [i10('B18.1', 'Chronic viral hepatitis B without delta-agent')] : [i10('B18.2', 'Chronic viral hepatitis C')], onsetDay: onset });
    const enc = b.encounter({ day: onset, cls: 'AMB', type: ENCOUNTER_TYPES.problem });
    b.observation({
      coding: hbv ? loinc('5196-1', 'Hepatitis B virus surface Ag [Presence] in Serum') : loinc('16128-1', 'Hepatitis C virus Ab [Presence] in Serum'),
      day: onset, category: 'laboratory', encounter: enc,
      value: { valueCodeableConcept: { coding: [snomed('10828004', 'Positive')] } }, interpretation: 'POS',
    });
  } else if (roll < 0.065) {
    const c = rng.pick([
      i10('F10.20', 'Alcohol dependence, uncomplicated'),
      i10('F11.20', 'Opioid dependence, uncomplicated'),
      i10('F12.10', 'Cannabis abuse, uncomplicated'),
      snomed('7200002', 'Alcoholism (disorder)'),
      snomed('361055000', 'Misuses drugs (finding)'),
    ]);
    const onset = first + rng.int(0, span);
    b.condition({ codings: [c], onsetDay: onset, abatementDay: rng.chance(0.4) && onset + 200 < cal.today ? onset + rng.int(100, 200) : undefined });
  } else if (roll < 0.068) {
    const start = cal.today - rng.int(20, 400);
    b.condition({ codings: [i10('Z22.7', 'Latent tuberculosis')], onsetDay: start });
    b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('197831', 'isoniazid 300 MG Oral Tablet')] }, day: start, status: start + 270 > cal.today ? 'active' : 'completed', dose: { value: 1 }, timing: DAILY, validity: [start, start + 270] });
  } else if (roll < 0.074) {
    // Rheumatoid arthritis on methotrexate and prednisone: close to the study's drugs.
    const onset = first + rng.int(0, span);
    b.condition({ codings: [snomed('69896004', 'Rheumatoid arthritis (disorder)')], onsetDay: onset });
    b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('105585', 'methotrexate 2.5 MG Oral Tablet')] }, day: onset + 30, status: 'active', dose: { value: 6 }, timing: { frequency: 1, period: 1, periodUnit: 'wk' } });
    b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('312617', 'predniSONE 5 MG Oral Tablet')] }, day: onset, status: 'stopped', dose: { value: 1 }, timing: DAILY, validity: [onset, onset + 90] });
  } else if (roll < 0.077) {
    const c = rng.pick([
      i10('M60.9', 'Myositis, unspecified'),
      i10('G72.41', 'Inclusion body myositis [IBM]'),
      snomed('68962001', 'Muscle pain (finding)'),
    ]);
    const onset = first + rng.int(0, span);
    b.condition({ codings: [c], onsetDay: onset });
    const enc = b.encounter({ day: onset, cls: 'AMB', type: ENCOUNTER_TYPES.problem, reason: c });
    b.observation({ coding: loinc('2157-6', 'Creatine kinase [Enzymatic activity/volume] in Serum or Plasma'), day: onset, category: 'laboratory', encounter: enc, value: { valueQuantity: qty(rng.int(150, 900), 'U/L') }, referenceRange: { low: 30, high: 200, unit: 'U/L' } });
  } else if (roll < 0.079) {
    b.condition({ codings: [i10('R45.851', 'Suicidal ideations')], onsetDay: first + rng.int(0, span) });
  } else if (roll < 0.0795) {
    b.condition({ codings: [i10('K75.4', 'Autoimmune hepatitis')], onsetDay: first + rng.int(0, span) });
  } else if (roll < 0.08) {
    b.condition({ codings: [i10('D83.9', 'Common variable immunodeficiency, unspecified')], onsetDay: first + rng.int(0, span) });
  }
  // Short prednisone bursts (asthma, gout, rash) happen to ordinary people too.
  if (rng.chance(0.04)) {
    const d = first + rng.int(0, span);
    const burst: Dose = { value: rng.pick([4, 8]) };
    b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('312617', 'predniSONE 5 MG Oral Tablet')] }, day: d, status: d + 5 < cal.today ? 'stopped' : 'active', dose: burst, timing: DAILY, validity: [d, d + 5] });
  }
}
