// The registry of glp1-ckd scenarios (../shared/studies/glp1-ckd/criteria.md, codes.md). A
// boundary scenario starts from the favourable plan (a candidate: every criterion a record can
// decide is favourable, consent and the investigator's judgement stay manual) and edits it where
// one criterion reads, just inside or just outside that criterion's threshold, window or band, or
// adds a record that must not count. `criterion` and `expect` say what that criterion answers,
// `manual` whether an `unknown` is a person's to decide, and expectedStatus() the patient's status.

import type { Calendar } from './calendar.js';
import {
  ACE_INHIBITORS,
  ARBS,
  CARDIOVASCULAR,
  DIABETES,
  DIALYSIS,
  DRUGS,
  EGFR_UNIT,
  GLP1_LAB,
  type Glp1Drug,
  INTOLERANCE,
  KIDNEY,
  PANCREATITIS,
  RELATIONSHIP,
  THYROID,
} from './glp1-vocabulary.js';
import type { Rng } from './random.js';
import { ageOn, creatinineAtEdge, creatinineFor, type LabResult, type PlannedCondition, type T2dPlan } from './t2d-plan.js';
import { type Coding, icd10, snomed } from './vocabulary.js';

export type Expect = 'met' | 'not-met' | 'unknown';
export type Status = 'candidate' | 'potential-candidate' | 'ineligible';

export interface Glp1Scenario {
  name: string;
  criterion?: string;
  expect?: Expect;
  /** For an `unknown`: whether it is left to a person (then the status stays candidate). */
  manual?: boolean;
  apply?: (plan: T2dPlan, rng: Rng, cal: Calendar) => void;
}

/**
 * The status the base plan's candidate takes when one criterion answers `expect` (api.md): an
 * inclusion not met or an exclusion met makes it ineligible; an unknown that is not manual, a
 * potential candidate; anything else leaves it a candidate.
 */
export function expectedStatus(s: Glp1Scenario): Status | undefined {
  if (!s.criterion || !s.expect) return undefined;
  const fails = s.criterion.startsWith('inc-') ? s.expect === 'not-met' : s.expect === 'met';
  if (fails) return 'ineligible';
  if (s.expect === 'unknown' && !s.manual) return 'potential-candidate';
  return 'candidate';
}

const KIDNEY_LABS = new Set(['2160-0', '14682-9', '38483-4', '62238-1', '98979-8', '33914-3', '69405-9', '77147-7', '48642-3', '48643-1', '9318-7', '14959-1', '14958-3', '32294-1', '30000-4']);
const HBA1C_LABS = new Set(['4548-4', '17856-6', '4549-2', '59261-8']);

/** Drops a family of labs from the last 120 days: the scenario's own results then decide alone. */
function clearRecent(plan: T2dPlan, cal: Calendar, codes: ReadonlySet<string>): void {
  plan.labs = plan.labs.filter((l) => l.day < cal.today - 120 || !codes.has(l.coding.code));
}

const lab = (day: number, coding: Coding, value: number, unit: string): LabResult => ({ day, coding, value, unit });

/** Reported eGFR and a UACR in mg/g, `ago` days before as-of, and nothing else of the kidney's. */
function kidney(egfr: number | null, uacr: number | null, ago = 20) {
  return (p: T2dPlan, r: Rng, c: Calendar) => {
    clearRecent(p, c, KIDNEY_LABS);
    if (egfr !== null) p.labs.push(lab(c.today - ago, GLP1_LAB.egfrCkdEpi2021, egfr, EGFR_UNIT));
    if (uacr !== null) p.labs.push(lab(c.today - ago, GLP1_LAB.uacr, uacr, 'mg/g'));
  };
}

function hba1c(value: number, unit: string, ago = 20, coding: Coding = unit === 'mmol/mol' ? GLP1_LAB.hba1cIfcc : GLP1_LAB.hba1c) {
  return (p: T2dPlan, r: Rng, c: Calendar) => {
    clearRecent(p, c, HBA1C_LABS);
    p.labs.push(lab(c.today - ago, coding, value, unit));
  };
}

/** Replaces the base RAS course with the given ones. */
function ras(...courses: { drug: Glp1Drug; start?: number; end?: number }[]) {
  return (p: T2dPlan) => {
    p.meds = p.meds.filter((m) => m.drug.cls !== 'acei' && m.drug.cls !== 'arb' && m.drug.cls !== 'arni');
    for (const c of courses) p.meds.push({ ...c, form: 'statement' });
  };
}

function addCondition(c: (cal: Calendar) => PlannedCondition) {
  return (p: T2dPlan, r: Rng, cal: Calendar) => {
    p.conditions.push(c(cal));
  };
}

/** Replaces the type 2 diabetes record (the plan's first condition). */
function diabetesAs(c: Partial<PlannedCondition> & { codings: Coding[] }) {
  return (p: T2dPlan) => {
    p.conditions[0] = { ...p.conditions[0]!, ...c };
  };
}

const cond = (codings: Coding[], o: Omit<PlannedCondition, 'codings'> = {}) => addCondition(() => ({ codings, ...o }));
const heartFailure = (cal: Calendar): PlannedCondition => ({ codings: [CARDIOVASCULAR.heartFailure], onset: cal.today - 700 });
const BREAST = icd10('C50.911', 'Malignant neoplasm of unspecified site of right female breast');

const BOUNDARY: Glp1Scenario[] = [
  { name: 't2d-favourable', criterion: 'exc-retinopathy-or-revascularisation', expect: 'unknown', manual: true },
  // inc-age
  ...([['t2d-age-17y-364d', 1, 'not-met'], ['t2d-age-18y-0d', 0, 'met']] as const).map(([name, extra, expect]): Glp1Scenario => ({
    name, criterion: 'inc-age', expect,
    apply: (p, r, c) => { p.person = { gender: 'male', birthDay: c.yearsAgo(18) + extra }; p.conditions[0]!.onset = c.today - 300; },
  })),
  // inc-type2-diabetes
  { name: 't2d-prediabetes-only', criterion: 'inc-type2-diabetes', expect: 'not-met', apply: diabetesAs({ codings: [DIABETES.prediabetes] }) },
  { name: 't2d-gestational-only', criterion: 'inc-type2-diabetes', expect: 'not-met', apply: diabetesAs({ codings: [DIABETES.gestational] }) },
  { name: 't2d-refuted', criterion: 'inc-type2-diabetes', expect: 'not-met', apply: diabetesAs({ codings: [DIABETES.t2d], verification: 'refuted' }) },
  { name: 't2d-resolved', criterion: 'inc-type2-diabetes', expect: 'met', apply: (p, r, c) => diabetesAs({ codings: [DIABETES.t2d], clinical: 'resolved', abatement: c.today - 200 })(p) },
  { name: 't2d-icd-undotted', criterion: 'inc-type2-diabetes', expect: 'met', apply: diabetesAs({ codings: [{ ...DIABETES.t2dCkd, code: 'E1122' }] }) },
  // inc-hba1c
  { name: 'hba1c-10.0-percent', criterion: 'inc-hba1c', expect: 'met', apply: hba1c(10, '%') },
  { name: 'hba1c-10.1-percent', criterion: 'inc-hba1c', expect: 'not-met', apply: hba1c(10.1, '%') },
  { name: 'hba1c-86-mmol-mol', criterion: 'inc-hba1c', expect: 'met', apply: hba1c(86, 'mmol/mol') },
  { name: 'hba1c-87-mmol-mol', criterion: 'inc-hba1c', expect: 'not-met', apply: hba1c(87, 'mmol/mol') },
  { name: 'hba1c-hplc-9.9-percent', criterion: 'inc-hba1c', expect: 'met', apply: hba1c(9.9, '%', 20, GLP1_LAB.hba1cHplc) },
  { name: 'hba1c-90d', criterion: 'inc-hba1c', expect: 'met', apply: hba1c(7.4, '%', 90) },
  { name: 'hba1c-91d', criterion: 'inc-hba1c', expect: 'unknown', apply: hba1c(7.4, '%', 91) },
  { name: 'hba1c-other-unit', criterion: 'inc-hba1c', expect: 'unknown', apply: hba1c(7.4, 'mg/dL') },
  // inc-kidney-function: the bands' edges, reported eGFR and UACR in mg/g
  ...([
    ['egfr-25.0-uacr-150', 25, 150, 'met'],
    ['egfr-24.9-uacr-150', 24.9, 150, 'not-met'],
    ['egfr-49.9-uacr-101', 49.9, 101, 'met'],
    ['egfr-40-uacr-100', 40, 100, 'not-met'],
    ['egfr-50-uacr-300', 50, 300, 'not-met'],
    ['egfr-50-uacr-301', 50, 301, 'met'],
    ['egfr-75-uacr-400', 75, 400, 'met'],
    ['egfr-75.1-uacr-400', 75.1, 400, 'not-met'],
    ['egfr-40-uacr-4999', 40, 4999, 'met'],
    ['egfr-40-uacr-5000', 40, 5000, 'not-met'],
    ['egfr-40-no-uacr', 40, null, 'unknown'],
    ['egfr-80-no-uacr', 80, null, 'not-met'],
    ['uacr-500-no-egfr', null, 500, 'unknown'],
  ] as const).map(([name, egfr, uacr, expect]): Glp1Scenario => ({ name, criterion: 'inc-kidney-function', expect, apply: kidney(egfr, uacr) })),
  {
    name: 'uacr-91d-egfr-40', criterion: 'inc-kidney-function', expect: 'unknown',
    apply: (p, r, c) => { kidney(40, null)(p, r, c); p.labs.push(lab(c.today - 91, GLP1_LAB.uacr, 500, 'mg/g')); },
  },
  // UACR in mg/mmol (× 8.84 → mg/g): 34 mg/mmol = 300.6 mg/g, 33.9 mg/mmol = 299.7 mg/g
  ...([['uacr-34-mg-mmol-egfr-60', 34, 'met'], ['uacr-33.9-mg-mmol-egfr-60', 33.9, 'not-met']] as const).map(([name, value, expect]): Glp1Scenario => ({
    name, criterion: 'inc-kidney-function', expect,
    apply: (p, r, c) => { kidney(60, null)(p, r, c); p.labs.push(lab(c.today - 20, GLP1_LAB.uacrRatio, value, 'mg/mmol')); },
  })),
  // eGFR computed from creatinine by CKD-EPI 2021 when no eGFR is reported
  ...([['computed-egfr-25.0', 'at-or-above', 'met'], ['computed-egfr-24.9', 'below', 'not-met']] as const).map(([name, side, expect]): Glp1Scenario => ({
    name, criterion: 'inc-kidney-function', expect,
    apply: (p, r, c) => {
      kidney(null, 150)(p, r, c);
      const day = c.today - 20;
      p.labs.push(lab(day, GLP1_LAB.creatinine, creatinineAtEdge(25, side, ageOn(c, p.person.birthDay, day), p.person.gender === 'female'), 'mg/dL'));
    },
  })),
  {
    name: 'computed-egfr-40-from-umol-l', criterion: 'inc-kidney-function', expect: 'met',
    apply: (p, r, c) => {
      kidney(null, 500)(p, r, c);
      const day = c.today - 20;
      p.labs.push(lab(day, GLP1_LAB.creatinineMolar, Math.round(creatinineFor(40, ageOn(c, p.person.birthDay, day), p.person.gender === 'female') * 88.4), 'umol/L'));
    },
  },
  // The later of a reported and a computed eGFR counts; on the same day, the reported one.
  ...([['creatinine-after-reported-egfr', 10, 'not-met'], ['creatinine-same-day-as-reported-egfr', 60, 'met']] as const).map(([name, ago, expect]): Glp1Scenario => ({
    name, criterion: 'inc-kidney-function', expect,
    apply: (p, r, c) => {
      kidney(40, 500, 60)(p, r, c);
      const day = c.today - ago;
      p.labs.push(lab(day, GLP1_LAB.creatinine, creatinineFor(85, ageOn(c, p.person.birthDay, day), p.person.gender === 'female'), 'mg/dL'));
    },
  })),
  {
    name: 'race-specific-egfr-only', criterion: 'inc-kidney-function', expect: 'unknown',
    apply: (p, r, c) => { kidney(null, 500)(p, r, c); p.labs.push(lab(c.today - 20, GLP1_LAB.egfrBlack, 40, EGFR_UNIT), lab(c.today - 20, GLP1_LAB.egfrNonBlack, 33, EGFR_UNIT)); },
  },
  // inc-ras-blockade
  { name: 'ras-acei-begun-28d', criterion: 'inc-ras-blockade', expect: 'met', apply: (p, r, c) => ras({ drug: DRUGS.lisinopril10, start: c.today - 28 })(p) },
  { name: 'ras-arb-begun-27d', criterion: 'inc-ras-blockade', expect: 'not-met', apply: (p, r, c) => ras({ drug: DRUGS.losartan50, start: c.today - 27 })(p) },
  { name: 'ras-none', criterion: 'inc-ras-blockade', expect: 'unknown', manual: true, apply: ras() },
  { name: 'ras-stopped-40d', criterion: 'inc-ras-blockade', expect: 'unknown', manual: true, apply: (p, r, c) => ras({ drug: DRUGS.ramipril, start: c.today - 400, end: c.today - 40 })(p) },
  {
    name: 'ras-intolerant-both-classes', criterion: 'inc-ras-blockade', expect: 'met',
    apply: (p, r, c) => { ras()(p); p.allergies.push({ code: INTOLERANCE.lisinopril, day: c.today - 900 }, { code: INTOLERANCE.losartan, day: c.today - 500 }); },
  },
  { name: 'ras-intolerant-acei-only', criterion: 'inc-ras-blockade', expect: 'unknown', manual: true, apply: (p, r, c) => { ras()(p); p.allergies.push({ code: INTOLERANCE.lisinopril, day: c.today - 900 }); } },
  { name: 'ras-current-start-unknown', criterion: 'inc-ras-blockade', expect: 'unknown', apply: ras({ drug: DRUGS.valsartan }) },
  // inc-consent
  { name: 't2d-deceased-3d', criterion: 'inc-consent', expect: 'not-met', apply: (p, r, c) => { p.person.deceasedDay = c.today - 3; } },
  // inc-pregnancy-contraception
  ...([['t2d-female-55y-0d', 0, 'met', false], ['t2d-female-54y-364d', -1, 'unknown', true]] as const).map(([name, extra, expect, manual]): Glp1Scenario => ({
    name, criterion: 'inc-pregnancy-contraception', expect, manual,
    apply: (p, r, c) => { p.person = { gender: 'female', birthDay: c.yearsAgo(55) - extra }; },
  })),
  {
    name: 't2d-pregnant', criterion: 'inc-pregnancy-contraception', expect: 'not-met',
    apply: (p, r, c) => { p.person = { gender: 'female', birthDay: c.yearsAgo(34) - 100 }; p.conditions.push({ codings: [snomed('77386006', 'Pregnancy (finding)')], onset: c.today - 70 }); },
  },
  // exc-type1-diabetes
  { name: 't1d-only', criterion: 'exc-type1-diabetes', expect: 'met', apply: diabetesAs({ codings: [DIABETES.t1d] }) },
  { name: 't1d-and-t2d', criterion: 'exc-type1-diabetes', expect: 'unknown', manual: true, apply: (p, r, c) => cond([DIABETES.t1dSnomed], { onset: c.today - 2000 })(p, r, c) },
  // exc-other-kidney-disease
  { name: 'iga-nephropathy', criterion: 'exc-other-kidney-disease', expect: 'met', apply: (p, r, c) => cond([KIDNEY.igaNephropathy], { onset: c.today - 3000 })(p, r, c) },
  { name: 'polycystic-kidney-snomed', criterion: 'exc-other-kidney-disease', expect: 'met', apply: (p, r, c) => cond([KIDNEY.polycysticSnomed], { onset: c.today - 5000 })(p, r, c) },
  { name: 'nephrotic-unspecified', criterion: 'exc-other-kidney-disease', expect: 'not-met', apply: (p, r, c) => cond([KIDNEY.nephroticUnspecified], { onset: c.today - 800 })(p, r, c) },
  { name: 'glomerular-disorder-elsewhere', criterion: 'exc-other-kidney-disease', expect: 'not-met', apply: (p, r, c) => cond([KIDNEY.glomerularElsewhere], { onset: c.today - 800 })(p, r, c) },
  // exc-dialysis-or-transplant
  ...([['haemodialysis-90d', 90, 'met'], ['haemodialysis-91d', 91, 'not-met']] as const).map(([name, ago, expect]): Glp1Scenario => ({
    name, criterion: 'exc-dialysis-or-transplant', expect,
    apply: (p, r, c) => { p.procedures.push({ coding: DIALYSIS.haemodialysis, day: c.today - ago }, { coding: DIALYSIS.haemodialysisCpt, day: c.today - ago - 3 }); },
  })),
  { name: 'kidney-transplant-status', criterion: 'exc-dialysis-or-transplant', expect: 'met', apply: (p, r, c) => cond([KIDNEY.transplantStatus], { onset: c.today - 2000 })(p, r, c) },
  { name: 'liver-transplant-status', criterion: 'exc-dialysis-or-transplant', expect: 'met', apply: (p, r, c) => cond([KIDNEY.liverTransplantStatus], { onset: c.today - 2000 })(p, r, c) },
  { name: 'esrd-active', criterion: 'exc-dialysis-or-transplant', expect: 'met', apply: (p, r, c) => cond([KIDNEY.esrdSnomed], { onset: c.today - 100 })(p, r, c) },
  { name: 'esrd-resolved', criterion: 'exc-dialysis-or-transplant', expect: 'not-met', apply: (p, r, c) => cond([KIDNEY.esrd], { onset: c.today - 900, abatement: c.today - 400 })(p, r, c) },
  // exc-glp1-30d
  ...([['semaglutide-ended-30d', 30, 'met'], ['semaglutide-ended-31d', 31, 'not-met']] as const).map(([name, ago, expect]): Glp1Scenario => ({
    name, criterion: 'exc-glp1-30d', expect,
    apply: (p, r, c) => { p.meds.push({ drug: DRUGS.semaglutidePen, start: c.today - ago - 200, end: c.today - ago, form: 'statement' }); },
  })),
  { name: 'tirzepatide-current', criterion: 'exc-glp1-30d', expect: 'met', apply: (p, r, c) => { p.meds.push({ drug: DRUGS.tirzepatide, start: c.today - 120, form: 'request' }); } },
  { name: 'degludec-liraglutide-current', criterion: 'exc-glp1-30d', expect: 'met', apply: (p, r, c) => { p.meds.push({ drug: DRUGS.degludecLiraglutide, start: c.today - 300, form: 'request' }); } },
  // exc-recent-cardiovascular-event
  ...([['mi-60d', 60, 'met'], ['mi-61d', 61, 'not-met']] as const).map(([name, ago, expect]): Glp1Scenario => ({
    name, criterion: 'exc-recent-cardiovascular-event', expect, apply: (p, r, c) => cond([CARDIOVASCULAR.mi], { onset: c.today - ago })(p, r, c),
  })),
  { name: 'stroke-30d', criterion: 'exc-recent-cardiovascular-event', expect: 'met', apply: (p, r, c) => cond([CARDIOVASCULAR.strokeSnomed], { onset: c.today - 30 })(p, r, c) },
  { name: 'tia-45d', criterion: 'exc-recent-cardiovascular-event', expect: 'met', apply: (p, r, c) => cond([CARDIOVASCULAR.tia], { onset: c.today - 45 })(p, r, c) },
  { name: 'old-mi-code-10d', criterion: 'exc-recent-cardiovascular-event', expect: 'not-met', apply: (p, r, c) => cond([CARDIOVASCULAR.oldMi], { onset: c.today - 10 })(p, r, c) },
  { name: 'stroke-sequelae-20d', criterion: 'exc-recent-cardiovascular-event', expect: 'not-met', apply: (p, r, c) => cond([CARDIOVASCULAR.strokeSequelae], { onset: c.today - 20 })(p, r, c) },
  { name: 'mi-undated', criterion: 'exc-recent-cardiovascular-event', expect: 'unknown', apply: cond([CARDIOVASCULAR.miUnspecified]) },
  // exc-heart-failure-nyha-iv
  ...([['nyha-iv-12m', 0, 'met', false], ['nyha-iv-12m-1d', 1, 'unknown', true]] as const).map(([name, extra, expect, manual]): Glp1Scenario => ({
    name, criterion: 'exc-heart-failure-nyha-iv', expect, manual,
    apply: (p, r, c) => { p.conditions.push(heartFailure(c)); p.nyha.push({ day: c.monthsAgo(12) - extra, cls: 4, form: 'observation' }); },
  })),
  {
    name: 'nyha-iii-after-iv', criterion: 'exc-heart-failure-nyha-iv', expect: 'not-met',
    apply: (p, r, c) => { p.conditions.push(heartFailure(c)); p.nyha.push({ day: c.today - 200, cls: 4, form: 'observation' }, { day: c.today - 30, cls: 3, form: 'observation' }); },
  },
  { name: 'nyha-iv-condition', criterion: 'exc-heart-failure-nyha-iv', expect: 'met', apply: (p, r, c) => { p.conditions.push(heartFailure(c)); p.nyha.push({ day: c.today - 100, cls: 4, form: 'condition' }); } },
  { name: 'heart-failure-no-class', criterion: 'exc-heart-failure-nyha-iv', expect: 'unknown', manual: true, apply: (p, r, c) => { p.conditions.push(heartFailure(c)); } },
  { name: 'heart-failure-resolved', criterion: 'exc-heart-failure-nyha-iv', expect: 'not-met', apply: (p, r, c) => { p.conditions.push({ ...heartFailure(c), abatement: c.today - 100 }); } },
  // exc-malignancy-5y (the first study's rule)
  { name: 't2d-breast-cancer-abated-5y', criterion: 'exc-malignancy-5y', expect: 'met', apply: (p, r, c) => cond([BREAST], { onset: c.yearsAgo(8), abatement: c.yearsAgo(5) })(p, r, c) },
  { name: 't2d-breast-cancer-abated-5y-1d', criterion: 'exc-malignancy-5y', expect: 'not-met', apply: (p, r, c) => cond([BREAST], { onset: c.yearsAgo(8), abatement: c.yearsAgo(5) - 1 })(p, r, c) },
  // exc-mtc-men2
  { name: 'men2a-patient', criterion: 'exc-mtc-men2', expect: 'met', apply: (p, r, c) => cond([THYROID.men2a], { onset: c.today - 4000 })(p, r, c) },
  { name: 'mtc-mother', criterion: 'exc-mtc-men2', expect: 'met', apply: (p) => { p.family.push({ relationship: RELATIONSHIP.mother, codings: [THYROID.mtc] }); } },
  { name: 'men2-brother', criterion: 'exc-mtc-men2', expect: 'met', apply: (p) => { p.family.push({ relationship: RELATIONSHIP.brother, codings: [THYROID.men2Snomed] }); } },
  { name: 'mtc-maternal-aunt', criterion: 'exc-mtc-men2', expect: 'unknown', manual: true, apply: (p) => { p.family.push({ relationship: RELATIONSHIP.maternalAunt, codings: [THYROID.mtc] }); } },
  { name: 'men2-relationship-uncoded', criterion: 'exc-mtc-men2', expect: 'unknown', manual: true, apply: (p) => { p.family.push({ codings: [THYROID.men2Snomed] }); } },
  { name: 'thyroid-cancer-type-unstated-10y', criterion: 'exc-mtc-men2', expect: 'unknown', manual: true, apply: (p, r, c) => cond([THYROID.thyroidCancer], { onset: c.yearsAgo(11), abatement: c.yearsAgo(10) })(p, r, c) },
  { name: 'men-type-unstated', criterion: 'exc-mtc-men2', expect: 'unknown', manual: true, apply: (p, r, c) => cond([THYROID.menUnspecified], { onset: c.today - 3000 })(p, r, c) },
  // exc-pancreatitis
  ...([['acute-pancreatitis-180d', 180, 'met'], ['acute-pancreatitis-181d', 181, 'not-met']] as const).map(([name, ago, expect]): Glp1Scenario => ({
    name, criterion: 'exc-pancreatitis', expect, apply: (p, r, c) => cond([PANCREATITIS.acute], { onset: c.today - ago, abatement: c.today - ago + 10 })(p, r, c),
  })),
  { name: 'chronic-pancreatitis', criterion: 'exc-pancreatitis', expect: 'met', apply: (p, r, c) => cond([PANCREATITIS.chronic], { onset: c.yearsAgo(6) })(p, r, c) },
  { name: 'acute-pancreatitis-undated', criterion: 'exc-pancreatitis', expect: 'unknown', apply: cond([PANCREATITIS.acuteSnomed]) },
  // exc-acei-arb-combination
  { name: 'acei-and-arb-current', criterion: 'exc-acei-arb-combination', expect: 'met', apply: (p, r, c) => ras({ drug: ACE_INHIBITORS[0]!, start: c.today - 500 }, { drug: ARBS[0]!, start: c.today - 200 })(p) },
  { name: 'ramipril-and-sacubitril-valsartan', criterion: 'exc-acei-arb-combination', expect: 'met', apply: (p, r, c) => ras({ drug: DRUGS.ramipril, start: c.today - 500 }, { drug: DRUGS.sacubitrilValsartan, start: c.today - 90 })(p) },
  { name: 'acei-current-arb-stopped-10d', criterion: 'exc-acei-arb-combination', expect: 'not-met', apply: (p, r, c) => ras({ drug: DRUGS.enalapril, start: c.today - 500 }, { drug: DRUGS.irbesartan, start: c.today - 300, end: c.today - 10 })(p) },
  // exc-glp1-hypersensitivity
  { name: 'semaglutide-allergy', criterion: 'exc-glp1-hypersensitivity', expect: 'met', apply: (p, r, c) => { p.allergies.push({ code: INTOLERANCE.semaglutide, day: c.today - 600 }); } },
  { name: 'semaglutide-allergy-refuted', criterion: 'exc-glp1-hypersensitivity', expect: 'not-met', apply: (p, r, c) => { p.allergies.push({ code: INTOLERANCE.semaglutide, day: c.today - 600, verification: 'refuted' }); } },
];

export const GLP1_BOUNDARY_SCENARIOS: readonly Glp1Scenario[] = BOUNDARY;
export const GLP1_TYPICAL_SCENARIO: Glp1Scenario = { name: 'typical-t2d' };

/** One type 2 diabetes patient in this many is a boundary scenario; the rest are typical. */
export const GLP1_BOUNDARY_EVERY = 10;

/** The k-th T2D patient's scenario: every tenth cycles the boundaries, the rest are typical. */
export function glp1ScenarioFor(ordinal: number): Glp1Scenario {
  if (ordinal % GLP1_BOUNDARY_EVERY !== GLP1_BOUNDARY_EVERY - 1) return GLP1_TYPICAL_SCENARIO;
  return BOUNDARY[Math.floor(ordinal / GLP1_BOUNDARY_EVERY) % BOUNDARY.length]!;
}

