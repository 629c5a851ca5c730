// What a type 2 diabetes patient's record will say (the glp1-ckd study's population), decided
// before any resource is written. typicalT2dPlan() draws a realistic patient (a third with CKD:
// see CKD_SHARE); favourableT2dPlan() is a candidate on every criterion a record can decide, the
// base a boundary scenario (glp1-scenarios.ts) edits where its criterion reads.

import type { Calendar } from './calendar.js';
import {
  ACE_INHIBITORS,
  ARBS,
  CARDIOVASCULAR,
  ckdStageCoding,
  DIABETES,
  DIALYSIS,
  DRUGS,
  EGFR_UNIT,
  GLP1_AGONISTS,
  GLP1_LAB,
  type Glp1Drug,
  HYPERTENSION,
  INTOLERANCE,
  KIDNEY,
  PANCREATITIS,
  RELATIONSHIP,
  THYROID,
} from './glp1-vocabulary.js';
import type { Person } from './patient-demographics.js';
import type { Rng } from './random.js';
import type { Coding } from './vocabulary.js';

export interface PlannedCondition {
  codings: Coding[];
  onset?: number;
  recorded?: number;
  abatement?: number;
  verification?: string;
  clinical?: string;
}

export interface LabResult {
  day: number;
  coding: Coding;
  value: number;
  unit: string;
}

export interface NyhaRecord {
  day: number;
  cls: 1 | 2 | 3 | 4;
  form: 'observation' | 'condition';
}

/** A course of one drug: `start` undefined writes an active record with no dates at all. */
export interface MedCourse {
  drug: Glp1Drug;
  start?: number;
  /** Undefined: ongoing at as-of. */
  end?: number;
  form: 'statement' | 'request';
}

export interface T2dPlan {
  person: Person;
  /** CKD coded and in the labs (eGFR < 60 or UACR ≥ 30 mg/g). */
  ckd: boolean;
  conditions: PlannedCondition[];
  labs: LabResult[];
  nyha: NyhaRecord[];
  meds: MedCourse[];
  allergies: { code: Coding; day: number; verification?: string }[];
  procedures: { coding: Coding; day: number }[];
  family: { relationship?: Coding; codings: Coding[] }[];
  intensity: number;
}

/** Share of typical T2D patients with CKD; with every boundary patient a CKD one (one in ten), a third overall. */
export const CKD_SHARE = 0.26;

/** mg/g per mg/mmol: creatinine's molar mass is 113.12 g/mol. */
export const MG_G_PER_MG_MMOL = 1000 / 113.12;
const UMOL_PER_MG_DL = 88.4;

/** Whole years from a birth day to a day. */
export function ageOn(cal: Calendar, birthDay: number, day: number): number {
  const b = cal.iso(birthDay);
  const d = cal.iso(day);
  const years = Number(d.slice(0, 4)) - Number(b.slice(0, 4));
  return d.slice(5) < b.slice(5) ? years - 1 : years;
}

/** CKD-EPI 2021 (race-free), creatinine in mg/dL, rounded to one decimal as the study compares it. */
export function ckdEpi2021(scr: number, age: number, female: boolean): number {
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const r = scr / kappa;
  const egfr = 142 * Math.min(r, 1) ** alpha * Math.max(r, 1) ** -1.2 * 0.9938 ** age * (female ? 1.012 : 1);
  return Math.round(egfr * 10) / 10;
}

/** The creatinine (mg/dL, two decimals) whose CKD-EPI 2021 eGFR is nearest `egfr` (the equation inverted). */
export function creatinineFor(egfr: number, age: number, female: boolean): number {
  const kappa = female ? 0.7 : 0.9;
  const alpha = female ? -0.241 : -0.302;
  const c = 142 * 0.9938 ** age * (female ? 1.012 : 1);
  const ratio = egfr >= c ? (egfr / c) ** (1 / alpha) : (egfr / c) ** (-1 / 1.2);
  const guess = Math.max(0.3, Math.round(ratio * kappa * 100) / 100);
  let best = guess;
  for (const scr of [guess - 0.01, guess + 0.01]) {
    if (scr >= 0.3 && Math.abs(ckdEpi2021(scr, age, female) - egfr) < Math.abs(ckdEpi2021(best, age, female) - egfr)) best = Math.round(scr * 100) / 100;
  }
  return best;
}

/**
 * The creatinine (mg/dL, two decimals) whose computed eGFR is the lowest at or above `limit`
 * (`side` 'at-or-above') or the highest below it ('below'): a computed value on one side of a band edge.
 */
export function creatinineAtEdge(limit: number, side: 'at-or-above' | 'below', age: number, female: boolean): number {
  let scr = 0.3;
  while (ckdEpi2021(scr + 0.01, age, female) >= limit) scr = Math.round((scr + 0.01) * 100) / 100;
  return side === 'at-or-above' ? scr : Math.round((scr + 0.01) * 100) / 100;
}

export function hba1cIfcc(percent: number): number {
  return Math.round((percent - 2.15) * 10.929);
}

/** One kidney-and-glycaemic lab visit: HbA1c, creatinine with a reported eGFR, a urine ACR. */
export function labVisit(
  plan: T2dPlan,
  cal: Calendar,
  day: number,
  o: { hba1c?: number; egfr?: number; uacr?: number; ifcc?: boolean; molar?: boolean; reported?: Coding | null; uacrCoding?: Coding; uacrMgMmol?: boolean },
): void {
  const female = plan.person.gender === 'female';
  if (o.hba1c !== undefined) {
    plan.labs.push(o.ifcc ? { day, coding: GLP1_LAB.hba1cIfcc, value: hba1cIfcc(o.hba1c), unit: 'mmol/mol' } : { day, coding: GLP1_LAB.hba1c, value: o.hba1c, unit: '%' });
  }
  if (o.egfr !== undefined) {
    const age = ageOn(cal, plan.person.birthDay, day);
    const scr = creatinineFor(o.egfr, age, female);
    plan.labs.push(o.molar ? { day, coding: GLP1_LAB.creatinineMolar, value: Math.round(scr * UMOL_PER_MG_DL), unit: 'umol/L' } : { day, coding: GLP1_LAB.creatinine, value: scr, unit: 'mg/dL' });
    const reported = o.reported === undefined ? GLP1_LAB.egfrCkdEpi2021 : o.reported;
    if (reported) plan.labs.push({ day, coding: reported, value: ckdEpi2021(scr, age, female), unit: EGFR_UNIT });
  }
  if (o.uacr !== undefined) {
    plan.labs.push(o.uacrMgMmol
      ? { day, coding: GLP1_LAB.uacrRatio, value: Math.round((o.uacr / MG_G_PER_MG_MMOL) * 10) / 10, unit: 'mg/mmol' }
      : { day, coding: o.uacrCoding ?? GLP1_LAB.uacr, value: Math.round(o.uacr), unit: 'mg/g' });
  }
}

function emptyPlan(person: Person): T2dPlan {
  return { person, ckd: false, conditions: [], labs: [], nyha: [], meds: [], allergies: [], procedures: [], family: [], intensity: 1 };
}

/** A candidate on every criterion the record can decide (consent and investigator judgement stay manual). */
export function favourableT2dPlan(rng: Rng, cal: Calendar): T2dPlan {
  const today = cal.today;
  const female = rng.chance(0.5);
  // A woman of 55 or more: inc-pregnancy-contraception is met without a person's word.
  const age = female ? rng.int(56, 78) : rng.int(45, 78);
  const plan = emptyPlan({ gender: female ? 'female' : 'male', birthDay: cal.yearsAgo(age) - rng.int(1, 360) });
  plan.ckd = true;
  const diagnosed = today - rng.int(3 * 365, 15 * 365);
  const egfr = rng.round(32, 45, 0);
  plan.conditions.push(
    { codings: rng.chance(0.5) ? [DIABETES.t2dSnomed] : [DIABETES.t2dCkd, DIABETES.t2dSnomed], onset: diagnosed },
    { codings: [ckdStageCoding(egfr)], onset: today - rng.int(400, 1500) },
    { codings: [rng.chance(0.7) ? HYPERTENSION.icd : HYPERTENSION.snomed], onset: diagnosed - rng.int(0, 2000) },
  );
  // The latest visit sits well inside the 90-day look-back; older ones lie beyond it.
  const latest = today - rng.int(10, 50);
  for (let k = 4; k >= 1; k--) {
    labVisit(plan, cal, latest - k * rng.int(95, 120), { hba1c: rng.round(6.6, 8.6, 1), egfr: egfr + k * rng.int(1, 3), uacr: k % 2 === 0 ? rng.int(350, 1800) : undefined });
  }
  labVisit(plan, cal, latest, { hba1c: rng.round(6.6, 8.6, 1), egfr, uacr: rng.int(350, 1800) });
  const rasStart = today - rng.int(200, 2500);
  plan.meds.push(
    { drug: rng.chance(0.5) ? rng.pick(ACE_INHIBITORS) : rng.pick(ARBS), start: rasStart, form: rng.chance(0.6) ? 'request' : 'statement' },
    { drug: DRUGS.metformin, start: diagnosed + rng.int(0, 90), form: 'request' },
    { drug: DRUGS.atorvastatin, start: today - rng.int(300, 3000), form: 'statement' },
  );
  return plan;
}

/** A realistic type 2 diabetes patient: not every criterion favourable, not every lab recent. */
export function typicalT2dPlan(rng: Rng, cal: Calendar): T2dPlan {
  const today = cal.today;
  const [lo, hi] = rng.weighted([[[18, 39], 10], [[40, 64], 50], [[65, 90], 40]] as const);
  const age = rng.int(lo, hi);
  const female = rng.chance(0.48);
  const plan = emptyPlan({ gender: female ? 'female' : 'male', birthDay: cal.yearsAgo(age) - rng.int(1, 360) });
  const diagnosed = Math.max(plan.person.birthDay + 12 * 365, today - rng.int(60, 20 * 365));
  plan.ckd = rng.chance(CKD_SHARE);
  plan.intensity = 1 + (plan.ckd ? 0.3 : 0);

  // Kidney function now, drawn by CKD stage, drifting down over the years.
  const egfrNow = plan.ckd
    ? rng.weighted([[[60, 89], 25], [[45, 59], 30], [[30, 44], 25], [[15, 29], 15], [[7, 14], 5]] as const)
    : ([70, 118] as const);
  const egfr = rng.round(egfrNow[0], egfrNow[1], 0);
  const uacrNow = plan.ckd ? Math.round(30 * Math.exp(rng.float(0, 4.6))) : rng.chance(0.1) ? rng.int(30, 60) : rng.int(3, 29);
  const hba1cMean = Math.min(13.5, Math.max(5.6, rng.normal(7.6, 1.4)));

  const dxCodings = rng.weighted([
    [[DIABETES.t2dSnomed], 4],
    [[DIABETES.t2d], 3],
    [[{ ...DIABETES.t2d, code: 'E119' }], 1],
    [[DIABETES.t2dHyperglycaemia, DIABETES.t2dSnomed], 1],
    [[plan.ckd ? DIABETES.t2dCkd : DIABETES.t2dNeuropathy], 1],
  ] as const);
  plan.conditions.push({ codings: [...dxCodings], onset: diagnosed, recorded: rng.chance(0.2) ? Math.min(today, diagnosed + rng.int(0, 400)) : undefined });
  if (plan.ckd) plan.conditions.push({ codings: [egfr < 15 ? KIDNEY.esrd : ckdStageCoding(egfr)], onset: today - rng.int(90, 2500) });
  if (rng.chance(0.02)) plan.conditions.push({ codings: [rng.chance(0.5) ? DIABETES.t1d : DIABETES.t1dSnomed], onset: diagnosed + rng.int(0, 400) });
  if (rng.chance(0.12)) plan.conditions.push({ codings: [DIABETES.t2dRetinopathy], onset: today - rng.int(30, 2000) });

  // Labs every 3–6 months (more often with CKD) over a few years; the latest may be stale.
  const latest = today - (rng.chance(0.8) ? rng.int(3, 85) : rng.int(91, 400));
  const years = rng.int(1, 6);
  const ifcc = rng.chance(0.12);
  const molar = rng.chance(0.15);
  const reported = rng.weighted([[GLP1_LAB.egfrCkdEpi, 30], [GLP1_LAB.egfrCkdEpi2021, 30], [GLP1_LAB.egfrMdrd, 15], [null, 25]] as const);
  const uacrCoding = rng.weighted([[GLP1_LAB.uacr, 70], [GLP1_LAB.uacrMicro, 15], [GLP1_LAB.uacrRatio, 15]] as const);
  const uacrMgMmol = uacrCoding.code === '32294-1' && rng.chance(0.7);
  let k = 0;
  for (let day = latest; day > Math.max(diagnosed, today - years * 365); day -= rng.int(plan.ckd ? 80 : 90, plan.ckd ? 130 : 190), k++) {
    const drift = k * rng.float(0, 1.5);
    labVisit(plan, cal, day, {
      hba1c: Math.round(Math.min(14, Math.max(5.2, rng.normal(hba1cMean, 0.5))) * 10) / 10,
      egfr: Math.min(125, Math.round(egfr + drift)),
      uacr: plan.ckd || k % 2 === 0 ? Math.max(2, uacrNow * rng.float(0.7, 1.3)) : undefined,
      ifcc, molar, reported, uacrCoding, uacrMgMmol,
    });
    if (reported === GLP1_LAB.egfrMdrd && rng.chance(0.3)) {
      // Some labs still send the race-specific pair from one sample (never counted).
      plan.labs.push({ day, coding: GLP1_LAB.egfrNonBlack, value: Math.round(egfr + drift), unit: EGFR_UNIT }, { day, coding: GLP1_LAB.egfrBlack, value: Math.round((egfr + drift) * 1.21), unit: EGFR_UNIT });
    }
  }

  // Blood pressure and RAS blockade.
  const hypertensive = rng.chance(plan.ckd ? 0.85 : 0.65);
  if (hypertensive) plan.conditions.push({ codings: [rng.chance(0.6) ? HYPERTENSION.icd : HYPERTENSION.snomed], onset: today - rng.int(200, 6000) });
  if ((hypertensive || plan.ckd) && rng.chance(0.78)) {
    const acei = rng.chance(0.55);
    const start = rng.chance(0.04) ? today - rng.int(1, 27) : today - rng.int(28, 4000);
    const stopped = rng.chance(0.08);
    plan.meds.push({ drug: rng.pick(acei ? ACE_INHIBITORS : ARBS), start, end: stopped ? Math.min(today, start + rng.int(30, 700)) : undefined, form: rng.chance(0.65) ? 'request' : 'statement' });
    if (rng.chance(0.03)) plan.meds.push({ drug: rng.pick(acei ? ARBS : ACE_INHIBITORS), start: today - rng.int(28, 900), form: 'request' });
    if (acei && rng.chance(0.03)) plan.allergies.push({ code: INTOLERANCE.lisinopril, day: today - rng.int(100, 3000) });
  } else if (hypertensive) {
    plan.meds.push({ drug: DRUGS.amlodipine, start: today - rng.int(60, 3000), form: 'request' });
  }

  // Glucose-lowering treatment.
  if (egfr >= 30 && rng.chance(0.75)) plan.meds.push({ drug: DRUGS.metformin, start: diagnosed + rng.int(0, 120), form: rng.chance(0.7) ? 'request' : 'statement' });
  if (rng.chance(0.2)) plan.meds.push({ drug: DRUGS.insulinGlargine, start: today - rng.int(30, 3000), form: 'request' });
  if (rng.chance(plan.ckd ? 0.3 : 0.15)) plan.meds.push({ drug: DRUGS.empagliflozin, start: today - rng.int(30, 1500), form: 'request' });
  const glp1 = rng.next();
  if (glp1 < 0.15) {
    plan.meds.push({ drug: rng.chance(0.05) ? DRUGS.degludecLiraglutide : rng.pick(GLP1_AGONISTS), start: today - rng.int(5, 1000), form: rng.chance(0.6) ? 'request' : 'statement' });
  } else if (glp1 < 0.2) {
    const end = today - rng.int(5, 700);
    plan.meds.push({ drug: rng.pick(GLP1_AGONISTS), start: end - rng.int(60, 500), end, form: 'statement' });
  }
  if (rng.chance(0.005)) plan.allergies.push({ code: INTOLERANCE.semaglutide, day: today - rng.int(30, 1500) });
  if (rng.chance(0.6)) plan.meds.push({ drug: DRUGS.atorvastatin, start: today - rng.int(60, 4000), form: 'statement' });

  // Cardiovascular history, heart failure with NYHA classes.
  const cvDay = () => (rng.chance(0.05) ? today - rng.int(0, 59) : today - rng.int(60, 15 * 365));
  if (rng.chance(0.08)) plan.conditions.push({ codings: [rng.pick([CARDIOVASCULAR.mi, CARDIOVASCULAR.miUnspecified, CARDIOVASCULAR.miSnomed])], onset: cvDay() });
  if (rng.chance(0.04)) plan.conditions.push({ codings: [rng.pick([CARDIOVASCULAR.stroke, CARDIOVASCULAR.strokeSnomed, CARDIOVASCULAR.haemorrhagicStroke])], onset: cvDay() });
  if (rng.chance(0.04)) plan.conditions.push({ codings: [CARDIOVASCULAR.oldMi], onset: today - rng.int(365, 5000) });
  if (rng.chance(0.03)) plan.conditions.push({ codings: [CARDIOVASCULAR.strokeHistory], onset: today - rng.int(365, 5000) });
  if (rng.chance(0.08)) {
    plan.conditions.push({ codings: [rng.chance(0.5) ? CARDIOVASCULAR.heartFailure : CARDIOVASCULAR.heartFailureSnomed], onset: today - rng.int(100, 4000) });
    const n = rng.int(0, 3);
    for (let i = 0; i < n; i++) plan.nyha.push({ day: today - rng.int(10, 700), cls: rng.weighted([[1, 30], [2, 40], [3, 25], [4, 5]] as const), form: rng.chance(0.8) ? 'observation' : 'condition' });
    if (rng.chance(0.2)) plan.meds.push({ drug: DRUGS.sacubitrilValsartan, start: today - rng.int(60, 1500), form: 'request' });
  }

  // Rarer histories the exclusions read.
  if (plan.ckd && rng.chance(0.02)) plan.conditions.push({ codings: [rng.pick([KIDNEY.igaNephropathy, KIDNEY.polycysticSnomed, KIDNEY.lupusNephritis])], onset: today - rng.int(400, 8000) });
  if (plan.ckd && egfr < 15 && rng.chance(0.6)) {
    plan.conditions.push({ codings: [KIDNEY.dialysisDependence], onset: today - rng.int(100, 1500) });
    for (let d = today - rng.int(1, 20); d > today - 200; d -= 30) plan.procedures.push({ coding: rng.pick([DIALYSIS.haemodialysis, DIALYSIS.haemodialysisCpt]), day: d });
  }
  if (plan.ckd && rng.chance(0.015)) {
    const day = today - rng.int(400, 5000);
    plan.procedures.push({ coding: DIALYSIS.kidneyTransplant, day });
    plan.conditions.push({ codings: [KIDNEY.transplantStatus], onset: day });
  }
  if (rng.chance(0.01)) plan.conditions.push({ codings: [rng.chance(0.5) ? PANCREATITIS.acute : PANCREATITIS.acuteSnomed], onset: today - rng.int(30, 4000), abatement: undefined });
  if (rng.chance(0.003)) plan.conditions.push({ codings: [PANCREATITIS.chronic], onset: today - rng.int(300, 4000) });
  if (rng.chance(0.003)) plan.family.push({ relationship: rng.pick([RELATIONSHIP.mother, RELATIONSHIP.father]), codings: [THYROID.mtc] });
  if (rng.chance(0.001)) plan.conditions.push({ codings: [THYROID.men2a], onset: today - rng.int(300, 8000) });
  return plan;
}
