// What a myositis patient's record will say, decided before any resource is written: the
// base plan is a favourable candidate (active, refractory, stable treatment, normal safety
// labs), and a boundary scenario edits the plan where its criterion reads.

import type { Calendar } from './calendar.js';
import type { Person } from './patient-demographics.js';
import type { Rng } from './random.js';
import type { RecordBuilder } from './record-builder.js';
import { AB, DIAGNOSES, DM_MSA, PM_MSA, type Subtype } from './study-vocabulary.js';
import { undotted, type Coding } from './vocabulary.js';

export interface DoseStep {
  start: number;
  /** Undefined: ongoing at as-of. */
  end?: number;
  /** mg per day (glucocorticoids) or per dose (immunosuppressants). */
  mg: number;
}

export type GcStyle = 'statement' | 'request-mg' | 'request-tablets' | 'contained' | 'referenced';
export type GcAgent = 'prednisone' | 'prednisolone' | 'methylprednisolone';
export type IsAgent = 'methotrexate' | 'azathioprine' | 'mycophenolate';
export type AbForm = 'concept' | 'string' | 'interpretation';

export interface MyositisPlan {
  subtype: Subtype;
  person: Person;
  onset: number;
  diagnosed: number;
  diagnosisCodings: Coding[];
  /** A second record of the diagnosis (problem list) in another coding form. */
  duplicateDiagnosis: Coding[] | null;
  diagnosisVerification: string;
  msaPositive: Coding[];
  msaNegative: Coding[];
  otherAbNegative: boolean;
  anaTitre: number | null;
  anaForm: 'ratio' | 'string' | 'quantity';
  abForm: AbForm;
  gcAgent: GcAgent;
  gcSteps: DoseStep[];
  /** Extra same-dose renewals of the current step (request styles only). */
  gcRenewals: number[];
  gcStyle: GcStyle;
  isAgent: IsAgent | null;
  isSteps: DoseStep[];
  visits: number[];
  latest: {
    mmt8: number;
    physGlobal: number;
    ptGlobal: number;
    haq: number;
    extramuscular: number;
    cutaneous: number | null;
    mdi: number;
    mdiUnit: 'cm' | 'mm';
  };
  /** Latest enzyme values as multiples of the ULN. */
  enzymes: { ck: number; aldolase: number; ldh: number; alt: number; ast: number };
  ig: { day: number; igg: number; iga: number; unit: 'mg/dL' | 'g/L' };
  liver: { day: number; ggt: number; bili: number; biliUnit: 'mg/dL' | 'umol/L'; biliDirect: number | null; inr: number };
  serology: { day: number; hbsag: boolean; hbcab: boolean; hcvab: boolean; hcvRna: boolean | null };
  biopsy: number | null;
  mri: number[];
  intensity: number;
  extras: ((b: RecordBuilder, plan: MyositisPlan) => void)[];
}

const TAPER = [60, 40, 30, 20, 15, 12.5, 10, 7.5, 5];

/** A taper from 60 mg/day down to `target`, each step 4–8 weeks, the last held until as-of. */
export function taper(rng: Rng, start: number, today: number, target: number, minHold: number): DoseStep[] {
  const steps: DoseStep[] = [];
  let day = start;
  for (const mg of TAPER) {
    const length = rng.int(28, 56);
    if (mg <= target || day + length > today - minHold) {
      steps.push({ start: day, mg });
      return steps;
    }
    steps.push({ start: day, end: day + length - 1, mg });
    day += length;
  }
  return steps;
}

/** Ends the current step the day before `start` and begins `mg` there (dropping later steps). */
export function setCurrentDose(steps: DoseStep[], start: number, mg: number): DoseStep[] {
  const kept: DoseStep[] = steps.filter((s) => s.start < start).map((s) => ({ ...s, end: s.end === undefined || s.end >= start ? start - 1 : s.end }));
  kept.push({ start, mg });
  return kept;
}

export function basePlan(rng: Rng, cal: Calendar, subtype: Subtype): MyositisPlan {
  const today = cal.today;
  const gender = rng.chance(subtype === 'dm' ? 0.7 : 0.6) ? 'female' : 'male';
  const age = rng.int(28, 72);
  const birthDay = cal.yearsAgo(age) - rng.int(1, 360);
  const onset = today - rng.int(540, 6 * 365);
  const diagnosed = onset + rng.int(10, 60);

  const choices = DIAGNOSES[subtype];
  const primary = rng.pick(choices);
  const form = rng.next();
  const dxCoding = primary.system.includes('icd') && form < 0.3 ? undotted(primary) : primary;
  const alternative = rng.pick(choices.filter((c) => c.system !== primary.system).concat(undotted(primary)));
  const diagnosisCodings = rng.chance(0.2) && alternative.system !== dxCoding.system ? [dxCoding, alternative] : [dxCoding];

  const msa = subtype === 'dm' ? rng.pick(DM_MSA) : rng.pick(PM_MSA);
  const panel = [AB.jo1Loinc, AB.mi2, AB.srp, AB.pl7, AB.tif1g];
  const msaNegative = panel.filter((c) => c.code !== msa.code && !(msa.code === 'msa-jo1' && c.code === '5234-0') && !(msa.code === '5234-0'));

  const gcAgent: GcAgent = rng.weighted([['prednisone', 8], ['prednisolone', 1], ['methylprednisolone', 1]] as const);
  const gcStyle: GcStyle = gcAgent === 'prednisone'
    ? rng.weighted([['statement', 3], ['request-mg', 2], ['request-tablets', 3], ['contained', 1], ['referenced', 1]] as const)
    : rng.pick(['statement', 'request-mg', 'referenced'] as const);
  const target = gcAgent === 'methylprednisolone' ? 8 : rng.pick([5, 7.5, 10]);
  const gcSteps = taper(rng, diagnosed, today, target, 30);
  if (gcAgent === 'methylprednisolone') for (const s of gcSteps) s.mg = Math.max(4, Math.round((s.mg * 0.8) / 4) * 4);

  const isAgent: IsAgent = rng.weighted([['methotrexate', 5], ['azathioprine', 3], ['mycophenolate', 2]] as const);
  const isStart = diagnosed + rng.int(30, 90);
  const full = isAgent === 'methotrexate' ? rng.pick([15, 20, 25]) : isAgent === 'azathioprine' ? rng.pick([100, 150]) : 1000;
  const initial = isAgent === 'methotrexate' ? 10 : isAgent === 'azathioprine' ? 50 : 500;
  const fullStart = Math.min(isStart + rng.int(30, 60), today - 130);
  const isSteps: DoseStep[] = fullStart > isStart ? [{ start: isStart, end: fullStart - 1, mg: initial }, { start: fullStart, mg: full }] : [{ start: Math.min(isStart, today - 130), mg: full }];

  const latestVisit = today - rng.int(5, 60);
  const visits: number[] = [];
  for (let d = latestVisit; d > diagnosed + 20 && visits.length < 14; d -= rng.int(70, 110)) visits.unshift(d);
  if (visits.length === 0) visits.push(latestVisit);

  const dm = subtype === 'dm';
  return {
    subtype,
    person: { gender, birthDay },
    onset,
    diagnosed,
    diagnosisCodings,
    duplicateDiagnosis: rng.chance(0.35) ? [alternative] : null,
    diagnosisVerification: 'confirmed',
    msaPositive: [msa],
    msaNegative,
    otherAbNegative: rng.chance(0.8),
    anaTitre: rng.pick([160, 320, 640, 1280]),
    anaForm: rng.pick(['ratio', 'string', 'quantity'] as const),
    abForm: rng.pick(['concept', 'string', 'interpretation'] as const),
    gcAgent,
    gcSteps,
    gcRenewals: [],
    gcStyle,
    isAgent,
    isSteps,
    visits,
    latest: {
      mmt8: rng.int(104, 138),
      physGlobal: rng.round(3, 6.5, 1),
      ptGlobal: rng.round(3, 7.5, 1),
      haq: rng.pick([0.5, 0.625, 0.75, 1, 1.25, 1.5, 1.875]),
      extramuscular: dm ? rng.round(2.5, 5, 1) : rng.round(0.2, 1.5, 1),
      cutaneous: dm ? rng.round(4, 7.5, 1) : null,
      mdi: rng.round(0.5, 3.5, 1),
      mdiUnit: rng.chance(0.85) ? 'cm' : 'mm',
    },
    enzymes: {
      ck: rng.round(1.8, 6, 2),
      aldolase: rng.round(1.2, 2.5, 2),
      ldh: rng.round(1, 1.8, 2),
      alt: rng.round(0.8, 1.8, 2),
      ast: rng.round(0.9, 2.2, 2),
    },
    ig: rng.chance(0.6)
      ? { day: latestVisit, igg: rng.int(750, 1450), iga: rng.int(90, 320), unit: 'mg/dL' }
      : { day: latestVisit, igg: rng.round(7.5, 14.5, 1), iga: rng.round(0.9, 3.2, 2), unit: 'g/L' },
    liver: rng.chance(0.7)
      ? { day: latestVisit, ggt: rng.int(14, 48), bili: rng.round(0.3, 1.0, 1), biliUnit: 'mg/dL', biliDirect: null, inr: rng.round(0.9, 1.1, 1) }
      : { day: latestVisit, ggt: rng.int(14, 48), bili: rng.int(5, 17), biliUnit: 'umol/L', biliDirect: null, inr: rng.round(0.9, 1.1, 1) },
    serology: { day: diagnosed, hbsag: false, hbcab: false, hcvab: false, hcvRna: null },
    biopsy: diagnosed + rng.int(3, 20),
    mri: rng.chance(0.6) ? [diagnosed + rng.int(0, 14)] : [],
    intensity: 1,
    extras: [],
  };
}
