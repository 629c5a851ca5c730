// The registry of myositis scenarios. A boundary scenario places one patient just inside or
// just outside one criterion's threshold (thresholds.yaml), or adds a record that must not count;
// `criterion` and `expect` say what that criterion should answer. The rest of the record is
// the favourable base plan, so only the scenario decides that criterion.

import type { Calendar } from './calendar.js';
import { type MyositisPlan, setCurrentDose, taper } from './myositis-plan.js';
import { antibody } from './myositis-history.js';
import type { Rng } from './random.js';
import type { RecordBuilder } from './record-builder.js';
import { DAILY } from './record-builder.js';
import { AB, AGENT, ROUTE, SEROLOGY, type Subtype } from './study-vocabulary.js';
import { atc, type Coding, ENCOUNTER_TYPES, icd10, rxnorm, snomed } from './vocabulary.js';

export interface Scenario {
  name: string;
  criterion?: string;
  expect?: 'met' | 'not-met' | 'unknown';
  subtype?: Subtype;
  apply?: (plan: MyositisPlan, rng: Rng, cal: Calendar) => void;
}

type Agent = { ingredient: Coding; atc?: Coding };

function administer(b: RecordBuilder, agent: Agent, day: number, dose: { value: number; unit?: 'mg' | 'g' }, status = 'completed'): void {
  const codings = agent.atc ? [agent.ingredient, agent.atc] : [agent.ingredient];
  b.medicationAdministration({ med: { kind: 'concept', codings }, day, status, dose, route: ROUTE.iv, hour: 23 });
}

/** Moves the disease onset and everything that follows it (diagnosis, treatment, visits). */
function retime(plan: MyositisPlan, rng: Rng, cal: Calendar, onset: number, diagnosedAfter = rng.int(0, 20)): void {
  const today = cal.today;
  plan.onset = onset;
  plan.diagnosed = Math.min(today, onset + diagnosedAfter);
  plan.gcSteps = taper(rng, plan.diagnosed, today, plan.gcSteps[plan.gcSteps.length - 1]!.mg, Math.min(30, today - plan.diagnosed));
  const isStart = plan.diagnosed + 60;
  plan.isSteps = isStart < today - 130 ? [{ start: isStart, mg: plan.isSteps[plan.isSteps.length - 1]!.mg }] : [];
  if (plan.isSteps.length === 0) plan.isAgent = null;
  const latest = plan.visits[plan.visits.length - 1]!;
  const visits: number[] = [];
  for (let d = Math.max(latest, plan.diagnosed); d >= plan.diagnosed && visits.length < 14; d -= rng.int(70, 110)) visits.unshift(d);
  plan.visits = visits;
  plan.ig.day = plan.liver.day = visits[visits.length - 1]!;
  plan.serology.day = plan.diagnosed;
  plan.biopsy = Math.min(today, plan.diagnosed + 3);
  plan.mri = [];
}

function female(plan: MyositisPlan, cal: Calendar, age: number, extraDays = 0): void {
  plan.person = { gender: 'female', birthDay: cal.yearsAgo(age) - extraDays };
}

function condition(codings: Coding[], o: { onset: number; recorded?: number; abatement?: number; verification?: string }) {
  return (b: RecordBuilder) => {
    b.condition({ codings, onsetDay: o.onset, recordedDay: o.recorded, abatementDay: o.abatement, verification: o.verification });
  };
}

const mg = (value: number) => ({ value, unit: 'mg' as const });

const BOUNDARY: Scenario[] = [
  // inc-age
  { name: 'age-17y-364d', criterion: 'inc-age', expect: 'not-met', apply: (p, r, c) => { p.person.birthDay = c.yearsAgo(18) + 1; } },
  { name: 'age-18y-0d', criterion: 'inc-age', expect: 'met', apply: (p, r, c) => { p.person.birthDay = c.yearsAgo(18); } },
  // inc-consent
  {
    name: 'deceased-3d', criterion: 'inc-consent', expect: 'not-met',
    apply: (p, r, c) => {
      p.person.deceasedDay = c.today - 3;
      p.visits = p.visits.filter((d) => d <= c.today - 3);
      if (p.visits.length === 0) p.visits = [c.today - 10];
    },
  },
  // inc-diagnosis
  { name: 'dx-entered-in-error', criterion: 'inc-diagnosis', expect: 'not-met', apply: (p) => { p.diagnosisVerification = 'entered-in-error'; p.duplicateDiagnosis = null; } },
  {
    name: 'pm-msa-negative', criterion: 'inc-diagnosis', expect: 'unknown', subtype: 'pm',
    apply: (p) => { p.msaPositive = []; p.msaNegative = [AB.jo1Loinc, AB.mi2, AB.srp, AB.pl7, AB.pl12]; p.anaTitre = 320; },
  },
  { name: 'iim-jo1-positive', criterion: 'inc-diagnosis', expect: 'met', subtype: 'iim', apply: (p) => { p.msaPositive = [AB.jo1Loinc]; p.msaNegative = [AB.mi2, AB.srp]; } },
  {
    name: 'dm-icd-undotted', criterion: 'inc-diagnosis', expect: 'met', subtype: 'dm',
    apply: (p) => { p.diagnosisCodings = [icd10('M3312', 'Other dermatomyositis with myopathy')]; p.duplicateDiagnosis = null; },
  },
  // inc-autoantibody
  {
    name: 'ana-1-80-panel-negative', criterion: 'inc-autoantibody', expect: 'not-met', subtype: 'pm',
    apply: (p) => { p.anaTitre = 80; p.anaForm = 'string'; p.msaPositive = []; p.msaNegative = [AB.jo1, AB.mi2, AB.srp]; p.otherAbNegative = true; },
  },
  {
    name: 'ana-1-160-only', criterion: 'inc-autoantibody', expect: 'met', subtype: 'pm',
    apply: (p) => { p.anaTitre = 160; p.anaForm = 'ratio'; p.msaPositive = []; p.msaNegative = [AB.jo1, AB.mi2, AB.srp]; p.otherAbNegative = true; },
  },
  {
    name: 'ana-1-80-srp-untested', criterion: 'inc-autoantibody', expect: 'unknown', subtype: 'pm',
    apply: (p) => { p.anaTitre = 80; p.anaForm = 'quantity'; p.msaPositive = []; p.msaNegative = [AB.jo1, AB.mi2]; p.otherAbNegative = true; },
  },
  // inc-refractory
  { name: 'onset-3m-minus-1d', criterion: 'inc-refractory', expect: 'not-met', apply: (p, r, c) => retime(p, r, c, c.monthsAgo(3) + 1, 0) },
  { name: 'onset-3m', criterion: 'inc-refractory', expect: 'met', apply: (p, r, c) => retime(p, r, c, c.monthsAgo(3), 0) },
  // inc-active-disease
  {
    name: 'dm-ck-1.30-uln', criterion: 'inc-active-disease', expect: 'met', subtype: 'dm',
    apply: (p) => {
      Object.assign(p.latest, { mmt8: 146, cutaneous: 4.5, physGlobal: 3 });
      p.enzymes = { ck: 1.3, aldolase: 0.8, ldh: 0.8, alt: 0.6, ast: 0.7 };
    },
  },
  {
    name: 'dm-ck-1.29-uln', criterion: 'inc-active-disease', expect: 'not-met', subtype: 'dm',
    apply: (p) => {
      Object.assign(p.latest, { mmt8: 146, cutaneous: 4.5, physGlobal: 3 });
      p.enzymes = { ck: 1.29, aldolase: 0.8, ldh: 0.8, alt: 0.6, ast: 0.7 };
    },
  },
  { name: 'pm-mmt8-142', criterion: 'inc-active-disease', expect: 'met', subtype: 'pm', apply: (p) => { Object.assign(p.latest, { mmt8: 142, physGlobal: 3, haq: 0.5 }); } },
  { name: 'pm-mmt8-143', criterion: 'inc-active-disease', expect: 'not-met', subtype: 'pm', apply: (p) => { Object.assign(p.latest, { mmt8: 143 }); } },
  {
    name: 'pm-core-set-stale-91d', criterion: 'inc-active-disease', expect: 'unknown', subtype: 'pm',
    apply: (p, r, c) => { p.visits = p.visits.map((d) => d - (p.visits[p.visits.length - 1]! - (c.today - 91))); },
  },
  // inc-biopsy-mri-long-disease
  { name: 'pm-onset-7y-minus-1d', criterion: 'inc-biopsy-mri-long-disease', expect: 'met', subtype: 'pm', apply: (p, r, c) => retime(p, r, c, c.yearsAgo(7) + 1) },
  { name: 'pm-onset-7y', criterion: 'inc-biopsy-mri-long-disease', expect: 'unknown', subtype: 'pm', apply: (p, r, c) => retime(p, r, c, c.yearsAgo(7)) },
  {
    name: 'pm-onset-8y-mri-4m', criterion: 'inc-biopsy-mri-long-disease', expect: 'met', subtype: 'pm',
    apply: (p, r, c) => { retime(p, r, c, c.yearsAgo(8)); p.mri = [c.monthsAgo(4)]; },
  },
  {
    name: 'dm-onset-9y-cutaneous-4cm', criterion: 'inc-biopsy-mri-long-disease', expect: 'met', subtype: 'dm',
    apply: (p, r, c) => { retime(p, r, c, c.yearsAgo(9)); p.latest.cutaneous = 4; },
  },
  // inc-stable-glucocorticoid
  ...(
    [
      ['gc-prednisone-14.9mg', 'request-mg', 'prednisone', 14.9, 60, 'met'],
      ['gc-prednisone-15mg', 'statement', 'prednisone', 15, 60, 'not-met'],
      ['gc-prednisone-3x5mg-tablets', 'request-tablets', 'prednisone', 15, 60, 'not-met'],
      ['gc-prednisone-2.5x5mg-tablets', 'request-tablets', 'prednisone', 12.5, 60, 'met'],
      ['gc-methylprednisolone-12mg', 'statement', 'methylprednisolone', 12, 60, 'not-met'],
      ['gc-dose-change-14d', 'statement', 'prednisone', 7.5, 14, 'met'],
      ['gc-dose-change-13d', 'request-mg', 'prednisone', 7.5, 13, 'not-met'],
    ] as const
  ).map(([name, style, agent, dose, since, expect]): Scenario => ({
    name, criterion: 'inc-stable-glucocorticoid', expect,
    apply: (p, r, c) => {
      p.gcAgent = agent;
      p.gcStyle = style;
      p.gcSteps = setCurrentDose(p.gcSteps.map((s) => (s.mg === dose ? { ...s, mg: dose + 2.5 } : s)), c.today - since, dose);
    },
  })),
  {
    name: 'gc-renewal-same-dose-3d', criterion: 'inc-stable-glucocorticoid', expect: 'met',
    apply: (p, r, c) => {
      p.gcAgent = 'prednisone';
      p.gcStyle = 'request-mg';
      p.gcSteps = setCurrentDose(p.gcSteps.map((s) => (s.mg === 10 ? { ...s, mg: 12.5 } : s)), c.today - 120, 10);
      p.gcRenewals = [c.today - 3];
    },
  },
  // inc-stable-immunosuppressant
  {
    name: 'is-azathioprine-dose-change-2m', criterion: 'inc-stable-immunosuppressant', expect: 'not-met',
    apply: (p, r, c) => { p.isAgent = 'azathioprine'; p.isSteps = [{ start: c.today - 400, end: c.monthsAgo(2) - 1, mg: 100 }, { start: c.monthsAgo(2), mg: 150 }]; },
  },
  {
    name: 'is-azathioprine-dose-change-2m-1d', criterion: 'inc-stable-immunosuppressant', expect: 'met',
    apply: (p, r, c) => { p.isAgent = 'azathioprine'; p.isSteps = [{ start: c.today - 400, end: c.monthsAgo(2) - 2, mg: 100 }, { start: c.monthsAgo(2) - 1, mg: 150 }]; },
  },
  // exc-is-discontinued-3m
  {
    name: 'methotrexate-stopped-3m', criterion: 'exc-is-discontinued-3m', expect: 'met',
    apply: (p, r, c) => { p.isAgent = 'methotrexate'; p.isSteps = [{ start: c.today - 500, end: c.monthsAgo(3), mg: 20 }]; },
  },
  {
    name: 'methotrexate-stopped-3m-1d', criterion: 'exc-is-discontinued-3m', expect: 'not-met',
    apply: (p, r, c) => { p.isAgent = 'methotrexate'; p.isSteps = [{ start: c.today - 500, end: c.monthsAgo(3) - 1, mg: 20 }]; },
  },
  // exc-rituximab-365d
  { name: 'rituximab-365d', criterion: 'exc-rituximab-365d', expect: 'met', apply: (p, r, c) => { p.extras.push((b) => { administer(b, AGENT.rituximab, c.today - 379, mg(1000)); administer(b, AGENT.rituximab, c.today - 365, mg(1000)); }); } },
  { name: 'rituximab-366d', criterion: 'exc-rituximab-365d', expect: 'not-met', apply: (p, r, c) => { p.extras.push((b) => { administer(b, AGENT.rituximab, c.today - 380, mg(1000)); administer(b, AGENT.rituximab, c.today - 366, mg(1000)); }); } },
  { name: 'rituximab-entered-in-error-30d', criterion: 'exc-rituximab-365d', expect: 'not-met', apply: (p, r, c) => { p.extras.push((b) => administer(b, AGENT.rituximab, c.today - 30, mg(1000), 'entered-in-error')); } },
  // exc-cyclophosphamide-180d
  { name: 'cyclophosphamide-180d', criterion: 'exc-cyclophosphamide-180d', expect: 'met', apply: (p, r, c) => { p.extras.push((b) => { for (const d of [240, 210, 180]) administer(b, AGENT.cyclophosphamide, c.today - d, mg(1000)); }); } },
  { name: 'cyclophosphamide-181d', criterion: 'exc-cyclophosphamide-180d', expect: 'not-met', apply: (p, r, c) => { p.extras.push((b) => { for (const d of [241, 211, 181]) administer(b, AGENT.cyclophosphamide, c.today - d, mg(1000)); }); } },
  {
    name: 'cyclophosphamide-request-cancelled-20d', criterion: 'exc-cyclophosphamide-180d', expect: 'not-met',
    apply: (p, r, c) => { p.extras.push((b) => { b.medicationRequest({ med: { kind: 'concept', codings: [AGENT.cyclophosphamide.ingredient] }, day: c.today - 20, status: 'cancelled', dose: mg(1000), route: ROUTE.iv, category: 'outpatient' }); }); },
  },
  // exc-ivig-or-pulse-steroids
  { name: 'ivig-course-started-80d', criterion: 'exc-ivig-or-pulse-steroids', expect: 'met', apply: (p, r, c) => { p.extras.push((b) => { for (const d of [80, 52, 24]) administer(b, AGENT.ivig, c.today - d, { value: 140, unit: 'g' }); }); } },
  { name: 'ivig-course-started-100d', criterion: 'exc-ivig-or-pulse-steroids', expect: 'not-met', apply: (p, r, c) => { p.extras.push((b) => { for (const d of [100, 72, 44, 16]) administer(b, AGENT.ivig, c.today - d, { value: 140, unit: 'g' }); }); } },
  { name: 'pulse-methylprednisolone-2m', criterion: 'exc-ivig-or-pulse-steroids', expect: 'met', apply: (p, r, c) => { p.extras.push((b) => { for (const k of [2, 1, 0]) administer(b, AGENT.methylprednisolone, c.monthsAgo(2) - k, mg(1000)); }); } },
  { name: 'pulse-methylprednisolone-2m-1d', criterion: 'exc-ivig-or-pulse-steroids', expect: 'not-met', apply: (p, r, c) => { p.extras.push((b) => { for (const k of [3, 2, 1]) administer(b, AGENT.methylprednisolone, c.monthsAgo(2) - k, mg(1000)); }); } },
  { name: 'iv-methylprednisolone-250mg-10d', criterion: 'exc-ivig-or-pulse-steroids', expect: 'met', apply: (p, r, c) => { p.extras.push((b) => administer(b, AGENT.methylprednisolone, c.today - 10, mg(250))); } },
  { name: 'iv-methylprednisolone-240mg-10d', criterion: 'exc-ivig-or-pulse-steroids', expect: 'not-met', apply: (p, r, c) => { p.extras.push((b) => administer(b, AGENT.methylprednisolone, c.today - 10, mg(240))); } },
  // exc-prior-belimumab
  {
    name: 'belimumab-3y-ago', criterion: 'exc-prior-belimumab', expect: 'met',
    apply: (p, r, c) => { p.extras.push((b) => { b.medicationRequest({ med: { kind: 'concept', codings: [AGENT.belimumab.ingredient, AGENT.belimumab.atc] }, day: c.yearsAgo(3), status: 'completed', dose: mg(700), route: ROUTE.iv, validity: [c.yearsAgo(3), c.yearsAgo(3) + 180] }); }); },
  },
  {
    name: 'belimumab-not-taken', criterion: 'exc-prior-belimumab', expect: 'not-met',
    apply: (p, r, c) => { p.extras.push((b) => { b.medicationStatement({ med: { kind: 'concept', codings: [AGENT.belimumab.ingredient] }, status: 'not-taken', asserted: c.today - 40, reasonCode: snomed('183966005', 'Drug treatment not indicated (situation)') }); }); },
  },
  // exc-muscle-damage
  { name: 'mdi-5.0cm', criterion: 'exc-muscle-damage', expect: 'not-met', apply: (p) => { p.latest.mdi = 5; p.latest.mdiUnit = 'cm'; } },
  { name: 'mdi-5.1cm', criterion: 'exc-muscle-damage', expect: 'met', apply: (p) => { p.latest.mdi = 5.1; p.latest.mdiUnit = 'cm'; } },
  { name: 'mdi-51mm', criterion: 'exc-muscle-damage', expect: 'met', apply: (p) => { p.latest.mdi = 5.1; p.latest.mdiUnit = 'mm'; } },
  // exc-immunoglobulin-deficiency
  { name: 'igg-399-mg-dl', criterion: 'exc-immunoglobulin-deficiency', expect: 'met', apply: (p) => { Object.assign(p.ig, { igg: 399, iga: 150, unit: 'mg/dL' }); } },
  { name: 'igg-400-mg-dl', criterion: 'exc-immunoglobulin-deficiency', expect: 'not-met', apply: (p) => { Object.assign(p.ig, { igg: 400, iga: 150, unit: 'mg/dL' }); } },
  { name: 'igg-3.99-g-l', criterion: 'exc-immunoglobulin-deficiency', expect: 'met', apply: (p) => { Object.assign(p.ig, { igg: 3.99, iga: 1.5, unit: 'g/L' }); } },
  { name: 'iga-9-mg-dl', criterion: 'exc-immunoglobulin-deficiency', expect: 'met', apply: (p) => { Object.assign(p.ig, { igg: 900, iga: 9, unit: 'mg/dL' }); } },
  // exc-liver-labs
  { name: 'ggt-1.50-uln', criterion: 'exc-liver-labs', expect: 'not-met', apply: (p) => { p.liver.ggt = 90; } },
  { name: 'ggt-1.52-uln', criterion: 'exc-liver-labs', expect: 'met', apply: (p) => { p.liver.ggt = 91; } },
  { name: 'bilirubin-27-umol-l', criterion: 'exc-liver-labs', expect: 'met', apply: (p) => { Object.assign(p.liver, { bili: 27, biliUnit: 'umol/L' }); } },
  { name: 'bilirubin-25-umol-l', criterion: 'exc-liver-labs', expect: 'not-met', apply: (p) => { Object.assign(p.liver, { bili: 25, biliUnit: 'umol/L' }); } },
  { name: 'bilirubin-2.0-direct-25pct', criterion: 'exc-liver-labs', expect: 'not-met', apply: (p) => { Object.assign(p.liver, { bili: 2, biliUnit: 'mg/dL', biliDirect: 0.5 }); } },
  { name: 'inr-1.3-no-anticoagulant', criterion: 'exc-liver-labs', expect: 'met', apply: (p) => { p.liver.inr = 1.3; } },
  { name: 'inr-1.2', criterion: 'exc-liver-labs', expect: 'not-met', apply: (p) => { p.liver.inr = 1.2; } },
  {
    name: 'inr-1.3-on-warfarin', criterion: 'exc-liver-labs', expect: 'not-met',
    apply: (p, r, c) => {
      p.liver.inr = 1.3;
      p.extras.push((b) => {
        b.condition({ codings: [snomed('49436004', 'Atrial fibrillation (disorder)')], onsetDay: c.today - 300 });
        b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('855332', 'Warfarin Sodium 5 MG Oral Tablet')] }, day: c.today - 40, status: 'active', dose: { value: 1 }, timing: DAILY, supply: { days: 30, repeats: 3 } });
      });
    },
  },
  // exc-hepatitis-b-c, exc-hiv
  { name: 'hbsag-positive', criterion: 'exc-hepatitis-b-c', expect: 'met', apply: (p) => { p.serology.hbsag = true; } },
  { name: 'hcv-ab-positive-rna-not-detected', criterion: 'exc-hepatitis-b-c', expect: 'not-met', apply: (p) => { p.serology.hcvab = true; p.serology.hcvRna = false; } },
  { name: 'hcv-ab-positive-rna-detected', criterion: 'exc-hepatitis-b-c', expect: 'met', apply: (p) => { p.serology.hcvab = true; p.serology.hcvRna = true; } },
  { name: 'hiv-test-positive', criterion: 'exc-hiv', expect: 'met', apply: (p, r, c) => { p.extras.push((b) => antibody(b, SEROLOGY.hiv, c.today - 200, true, 'string')); } },
  // exc-malignancy-5y
  {
    name: 'breast-cancer-abated-5y', criterion: 'exc-malignancy-5y', expect: 'met',
    apply: (p, r, c) => { p.extras.push(condition([icd10('C50.911', 'Malignant neoplasm of unspecified site of right female breast')], { onset: c.yearsAgo(8), abatement: c.yearsAgo(5) })); },
  },
  {
    name: 'breast-cancer-abated-5y-1d', criterion: 'exc-malignancy-5y', expect: 'not-met',
    apply: (p, r, c) => { p.extras.push(condition([icd10('C50.911', 'Malignant neoplasm of unspecified site of right female breast')], { onset: c.yearsAgo(8), abatement: c.yearsAgo(5) - 1 })); },
  },
  { name: 'skin-bcc-active', criterion: 'exc-malignancy-5y', expect: 'not-met', apply: (p, r, c) => { p.extras.push(condition([icd10('C44.311', 'Basal cell carcinoma of skin of nose')], { onset: c.today - 200 })); } },
  {
    name: 'lung-cancer-refuted', criterion: 'exc-malignancy-5y', expect: 'not-met',
    apply: (p, r, c) => { p.extras.push(condition([icd10('C34.90', 'Malignant neoplasm of unspecified part of unspecified bronchus or lung')], { onset: c.today - 100, verification: 'refuted' })); },
  },
  // exc-substance-abuse
  { name: 'alcohol-dependence-abated-364d', criterion: 'exc-substance-abuse', expect: 'met', apply: (p, r, c) => { p.extras.push(condition([icd10('F10.20', 'Alcohol dependence, uncomplicated')], { onset: c.yearsAgo(3), abatement: c.today - 364 })); } },
  { name: 'alcohol-dependence-abated-365d', criterion: 'exc-substance-abuse', expect: 'not-met', apply: (p, r, c) => { p.extras.push(condition([icd10('F10.20', 'Alcohol dependence, uncomplicated')], { onset: c.yearsAgo(3), abatement: c.today - 365 })); } },
  { name: 'nicotine-dependence-active', criterion: 'exc-substance-abuse', expect: 'not-met', apply: (p, r, c) => { p.extras.push(condition([icd10('F17.210', 'Nicotine dependence, cigarettes, uncomplicated')], { onset: c.yearsAgo(10) })); } },
  // exc-primary-immunodeficiency, exc-autoimmune-hepatitis
  { name: 'cvid', criterion: 'exc-primary-immunodeficiency', expect: 'met', apply: (p, r, c) => { p.extras.push(condition([icd10('D83.9', 'Common variable immunodeficiency, unspecified')], { onset: c.yearsAgo(12) })); } },
  { name: 'drug-induced-immunodeficiency', criterion: 'exc-primary-immunodeficiency', expect: 'not-met', apply: (p, r, c) => { p.extras.push(condition([icd10('D84.821', 'Immunodeficiency due to drugs')], { onset: c.yearsAgo(1) })); } },
  { name: 'autoimmune-hepatitis-old', criterion: 'exc-autoimmune-hepatitis', expect: 'met', apply: (p, r, c) => { p.extras.push(condition([icd10('K75.4', 'Autoimmune hepatitis')], { onset: c.yearsAgo(15), abatement: c.yearsAgo(12) })); } },
  // exc-anaphylaxis
  {
    name: 'anaphylaxis-contrast', criterion: 'exc-anaphylaxis', expect: 'met',
    apply: (p, r, c) => { p.extras.push((b) => b.allergy({ code: atc('V08AB02', 'iohexol'), category: 'medication', day: c.yearsAgo(4), manifestation: snomed('39579001', 'Anaphylaxis (disorder)'), criticality: 'high' })); },
  },
  {
    name: 'anaphylaxis-peanut', criterion: 'exc-anaphylaxis', expect: 'not-met',
    apply: (p, r, c) => { p.extras.push((b) => b.allergy({ code: snomed('91935009', 'Allergy to peanuts'), category: 'food', day: c.yearsAgo(20), manifestation: snomed('39579001', 'Anaphylaxis (disorder)'), criticality: 'high' })); },
  },
  // exc-infection
  ...([['inpatient-pneumonia-60d', 60, 'met'], ['inpatient-pneumonia-61d', 61, 'not-met']] as const).map(([name, endAgo, expect]): Scenario => ({
    name, criterion: 'exc-infection', expect,
    apply: (p, r, c) => { p.extras.push((b) => { b.encounter({ day: c.today - endAgo - 4, endDay: c.today - endAgo, cls: 'IMP', type: ENCOUNTER_TYPES.inpatient, reason: icd10('J18.9', 'Pneumonia, unspecified organism') }); }); },
  })),
  { name: 'iv-ceftriaxone-45d', criterion: 'exc-infection', expect: 'met', apply: (p, r, c) => { p.extras.push((b) => administer(b, AGENT.ceftriaxone, c.today - 45, mg(1000))); } },
  {
    name: 'tmp-smx-prophylaxis-90d', criterion: 'exc-infection', expect: 'met',
    apply: (p, r, c) => { p.extras.push((b) => { b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('198335', 'sulfamethoxazole 800 MG / trimethoprim 160 MG Oral Tablet'), AGENT.tmpSmx.ingredient] }, day: c.today - 90, status: 'active', dose: { value: 1 }, timing: { frequency: 3, period: 1, periodUnit: 'wk' }, supply: { days: 30, repeats: 5 } }); }); },
  },
  {
    name: 'azithromycin-5d-course', criterion: 'exc-infection', expect: 'not-met',
    apply: (p, r, c) => { p.extras.push((b) => { b.medicationRequest({ med: { kind: 'concept', codings: [rxnorm('308460', 'Azithromycin 250 MG Oral Tablet')] }, day: c.today - 10, status: 'completed', dose: { value: 1 }, timing: DAILY, validity: [c.today - 10, c.today - 6] }); }); },
  },
  // inc-pregnancy-contraception
  { name: 'pregnant-active', criterion: 'inc-pregnancy-contraception', expect: 'not-met', apply: (p, r, c) => { female(p, c, 32, 40); p.extras.push(condition([snomed('77386006', 'Pregnancy (finding)')], { onset: c.today - 70 })); } },
  { name: 'hcg-positive-30d', criterion: 'inc-pregnancy-contraception', expect: 'not-met', apply: (p, r, c) => { female(p, c, 30, 100); p.extras.push((b) => antibody(b, SEROLOGY.hcgUrine, c.today - 30, true, 'concept')); } },
  { name: 'hcg-positive-31d', criterion: 'inc-pregnancy-contraception', expect: 'unknown', apply: (p, r, c) => { female(p, c, 30, 100); p.extras.push((b) => antibody(b, SEROLOGY.hcgUrine, c.today - 31, true, 'concept')); } },
  { name: 'menopause-recorded', criterion: 'inc-pregnancy-contraception', expect: 'met', apply: (p, r, c) => { female(p, c, 47, 20); p.extras.push(condition([icd10('N95.1', 'Menopausal and female climacteric states')], { onset: c.yearsAgo(1) })); } },
  { name: 'female-age-55y-0d', criterion: 'inc-pregnancy-contraception', expect: 'met', apply: (p, r, c) => { female(p, c, 55); } },
  { name: 'female-age-54y-364d', criterion: 'inc-pregnancy-contraception', expect: 'unknown', apply: (p, r, c) => { female(p, c, 55, -1); } },
  // exc-suicide-risk
  { name: 'suicide-attempt-6m', criterion: 'exc-suicide-risk', expect: 'met', apply: (p, r, c) => { p.extras.push(condition([icd10('T14.91XA', 'Suicide attempt, initial encounter')], { onset: c.monthsAgo(6), abatement: c.monthsAgo(6) })); } },
  { name: 'suicide-attempt-6m-1d', criterion: 'exc-suicide-risk', expect: 'unknown', apply: (p, r, c) => { p.extras.push(condition([icd10('T14.91XA', 'Suicide attempt, initial encounter')], { onset: c.monthsAgo(6) - 1, abatement: c.monthsAgo(6) - 1 })); } },
];

const TYPICAL: Scenario[] = [
  { name: 'typical-dm', subtype: 'dm' },
  { name: 'typical-pm', subtype: 'pm' },
  { name: 'typical-iim', subtype: 'iim' },
];

export const BOUNDARY_SCENARIOS: readonly Scenario[] = BOUNDARY;
export const TYPICAL_SCENARIOS: readonly Scenario[] = TYPICAL;

/** The k-th myositis patient's scenario: every other one is typical, the rest cycle the boundaries. */
export function scenarioFor(ordinal: number, rng: Rng): Scenario {
  if (ordinal % 2 === 0) return rng.weighted([[TYPICAL[0]!, 6], [TYPICAL[1]!, 3], [TYPICAL[2]!, 1]] as const);
  return BOUNDARY[(ordinal >> 1) % BOUNDARY.length]!;
}

