// The glp1-ckd study's concepts as the cohort writes them: the codes of the study's codes.md
// (SNOMED, ICD-10-CM, LOINC, RxNorm, CPT, v3 RoleCode and the study-local CodeSystem), so that the
// study's mapping (fhir-mappings/glp1-ckd) reads them. A few codes the study does not count sit
// beside them (prediabetes, old infarction, race-specific eGFR, …): boundary scenarios need both.

import { type Coding, icd10, loinc, rxnorm, snomed, SYS } from './vocabulary.js';

const GLP1_LOCAL = 'https://fhir-prescreen.org/CodeSystem/glp1-ckd';
const ROLE = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';
const cpt = (code: string, display: string): Coding => ({ system: SYS.cpt, code, display });
const role = (code: string, display: string): Coding => ({ system: ROLE, code, display });

export const DIABETES = {
  t2dSnomed: snomed('44054006', 'Diabetes mellitus type 2 (disorder)'),
  t2d: icd10('E11.9', 'Type 2 diabetes mellitus without complications'),
  t2dHyperglycaemia: icd10('E11.65', 'Type 2 diabetes mellitus with hyperglycemia'),
  t2dCkd: icd10('E11.22', 'Type 2 diabetes mellitus with diabetic chronic kidney disease'),
  t2dNeuropathy: icd10('E11.40', 'Type 2 diabetes mellitus with diabetic neuropathy, unspecified'),
  t2dRetinopathy: icd10('E11.319', 'Type 2 diabetes mellitus with unspecified diabetic retinopathy without macular edema'),
  t1dSnomed: snomed('46635009', 'Diabetes mellitus type 1 (disorder)'),
  t1d: icd10('E10.9', 'Type 1 diabetes mellitus without complications'),
  prediabetes: icd10('R73.03', 'Prediabetes'),
  gestational: icd10('O24.410', 'Gestational diabetes mellitus in pregnancy, diet controlled'),
} as const;

export const KIDNEY = {
  ckd2: icd10('N18.2', 'Chronic kidney disease, stage 2 (mild)'),
  ckd3a: icd10('N18.31', 'Chronic kidney disease, stage 3a'),
  ckd3b: icd10('N18.32', 'Chronic kidney disease, stage 3b'),
  ckd4: icd10('N18.4', 'Chronic kidney disease, stage 4 (severe)'),
  esrd: icd10('N18.6', 'End stage renal disease'),
  esrdSnomed: snomed('46177005', 'End-stage renal disease (disorder)'),
  dialysisDependence: icd10('Z99.2', 'Dependence on renal dialysis'),
  transplantStatus: icd10('Z94.0', 'Kidney transplant status'),
  liverTransplantStatus: icd10('Z94.4', 'Liver transplant status'),
  hypertensiveCkd: icd10('I12.9', 'Hypertensive chronic kidney disease with stage 1 through stage 4 chronic kidney disease, or unspecified chronic kidney disease'),
  igaNephropathy: icd10('N02.8', 'Recurrent and persistent hematuria with other morphologic changes'),
  igaNephropathySnomed: snomed('236407003', 'Immunoglobulin A nephropathy (disorder)'),
  polycysticSnomed: snomed('28728008', 'Polycystic kidney disease, adult type (disorder)'),
  lupusNephritis: icd10('M32.14', 'Glomerular disease in systemic lupus erythematosus'),
  nephroticUnspecified: icd10('N04.9', 'Nephrotic syndrome with unspecified morphologic changes'),
  glomerularElsewhere: icd10('N08', 'Glomerular disorders in diseases classified elsewhere'),
} as const;

/** The stage a CKD patient's record codes, by eGFR. */
export function ckdStageCoding(egfr: number): Coding {
  if (egfr >= 60) return KIDNEY.ckd2;
  if (egfr >= 45) return KIDNEY.ckd3a;
  if (egfr >= 30) return KIDNEY.ckd3b;
  return KIDNEY.ckd4;
}

export const DIALYSIS = {
  haemodialysis: snomed('302497006', 'Hemodialysis (procedure)'),
  peritoneal: snomed('71192002', 'Peritoneal dialysis (procedure)'),
  haemodialysisCpt: cpt('90935', 'Hemodialysis procedure with single evaluation by a physician or other qualified health care professional'),
  kidneyTransplant: snomed('70536003', 'Transplantation of kidney (procedure)'),
} as const;

export const HYPERTENSION = {
  snomed: snomed('59621000', 'Essential hypertension (disorder)'),
  icd: icd10('I10', 'Essential (primary) hypertension'),
} as const;

export const CARDIOVASCULAR = {
  mi: icd10('I21.4', 'Non-ST elevation (NSTEMI) myocardial infarction'),
  miUnspecified: icd10('I21.9', 'Acute myocardial infarction, unspecified'),
  miSnomed: snomed('22298006', 'Myocardial infarction (disorder)'),
  stroke: icd10('I63.9', 'Cerebral infarction, unspecified'),
  strokeSnomed: snomed('230690007', 'Cerebrovascular accident (disorder)'),
  haemorrhagicStroke: icd10('I61.9', 'Nontraumatic intracerebral hemorrhage, unspecified'),
  unstableAngina: icd10('I20.0', 'Unstable angina'),
  tia: icd10('G45.9', 'Transient cerebral ischemic attack, unspecified'),
  oldMi: icd10('I25.2', 'Old myocardial infarction'),
  strokeSequelae: icd10('I69.30', 'Unspecified sequelae of cerebral infarction'),
  strokeHistory: icd10('Z86.73', 'Personal history of transient ischemic attack (TIA), and cerebral infarction without residual deficits'),
  heartFailure: icd10('I50.9', 'Heart failure, unspecified'),
  heartFailureSnomed: snomed('84114007', 'Heart failure (disorder)'),
} as const;

/** NYHA functional class I–IV: the SNOMED concepts and the study-local codes. */
export const NYHA_SNOMED: readonly Coding[] = [
  snomed('420300004', 'New York Heart Association Classification - Class I'),
  snomed('421704003', 'New York Heart Association Classification - Class II'),
  snomed('420913000', 'New York Heart Association Classification - Class III'),
  snomed('422293003', 'New York Heart Association Classification - Class IV'),
];
export const NYHA_LOCAL: readonly Coding[] = ['I', 'II', 'III', 'IV'].map((roman, i) => ({ system: GLP1_LOCAL, code: `nyha-${i + 1}`, display: `NYHA functional class ${roman}` }));
export const NYHA_OBSERVATION = loinc('88020-3', 'Functional capacity NYHA');

export const THYROID = {
  mtc: snomed('255032005', 'Medullary thyroid carcinoma (disorder)'),
  men2a: icd10('E31.22', 'Multiple endocrine neoplasia [MEN] type IIA'),
  men2Snomed: snomed('61808009', 'Multiple endocrine neoplasia, type 2 (disorder)'),
  menUnspecified: icd10('E31.20', 'Multiple endocrine neoplasia [MEN] syndrome, unspecified'),
  thyroidCancer: icd10('C73', 'Malignant neoplasm of thyroid gland'),
} as const;

export const RELATIONSHIP = {
  mother: role('MTH', 'mother'),
  father: role('FTH', 'father'),
  sister: role('SIS', 'sister'),
  brother: role('BRO', 'brother'),
  maternalAunt: role('MAUNT', 'maternal aunt'),
  grandmother: role('GRMTH', 'grandmother'),
} as const;

export const PANCREATITIS = {
  acute: icd10('K85.90', 'Acute pancreatitis without necrosis or infection, unspecified'),
  acuteSnomed: snomed('197456007', 'Acute pancreatitis (disorder)'),
  chronic: icd10('K86.1', 'Other chronic pancreatitis'),
} as const;

/** [coding, UCUM unit] of the labs the kidney and glycaemic criteria read. */
export const GLP1_LAB = {
  hba1c: loinc('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
  hba1cHplc: loinc('17856-6', 'Hemoglobin A1c/Hemoglobin.total in Blood by HPLC'),
  hba1cIfcc: loinc('59261-8', 'Hemoglobin A1c/Hemoglobin.total in Blood by IFCC protocol'),
  egfrCkdEpi: loinc('62238-1', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)'),
  egfrCkdEpi2021: loinc('98979-8', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)'),
  egfrMdrd: loinc('33914-3', 'Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)'),
  egfrNonBlack: loinc('48642-3', 'Glomerular filtration rate/1.73 sq M.predicted among non-blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)'),
  egfrBlack: loinc('48643-1', 'Glomerular filtration rate/1.73 sq M.predicted among blacks [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (MDRD)'),
  creatinine: loinc('2160-0', 'Creatinine [Mass/volume] in Serum or Plasma'),
  creatinineMolar: loinc('14682-9', 'Creatinine [Moles/volume] in Serum or Plasma'),
  uacr: loinc('9318-7', 'Albumin/Creatinine [Mass Ratio] in Urine'),
  uacrMicro: loinc('14959-1', 'Microalbumin/Creatinine [Mass Ratio] in Urine'),
  uacrRatio: loinc('32294-1', 'Albumin/Creatinine [Ratio] in Urine'),
} as const;

export const EGFR_UNIT = 'mL/min/{1.73_m2}';

/** A medication as records name it: codings (clinical drug and/or ingredient, ATC) and a name. */
export interface Glp1Drug {
  codings: readonly Coding[];
  text: string;
  cls: 'acei' | 'arb' | 'arni' | 'glp1' | 'other';
}

const atcCode = (code: string, display: string): Coding => ({ system: SYS.atc, code, display });
const d = (cls: Glp1Drug['cls'], text: string, ...codings: Coding[]): Glp1Drug => ({ cls, text, codings });

export const DRUGS = {
  lisinopril10: d('acei', 'lisinopril 10 MG Oral Tablet', rxnorm('314076', 'lisinopril 10 MG Oral Tablet')),
  lisinopril20: d('acei', 'lisinopril 20 MG Oral Tablet', rxnorm('314077', 'lisinopril 20 MG Oral Tablet')),
  lisinoprilHctz: d('acei', 'hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet', rxnorm('197885', 'hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet')),
  ramipril: d('acei', 'ramipril 5 MG Oral Capsule', rxnorm('35296', 'ramipril'), atcCode('C09AA05', 'ramipril')),
  enalapril: d('acei', 'enalapril maleate 10 MG Oral Tablet', rxnorm('3827', 'enalapril')),
  losartan50: d('arb', 'losartan potassium 50 MG Oral Tablet', rxnorm('979492', 'losartan potassium 50 MG Oral Tablet')),
  losartan100: d('arb', 'losartan potassium 100 MG Oral Tablet', rxnorm('979480', 'losartan potassium 100 MG Oral Tablet')),
  valsartan: d('arb', 'valsartan 160 MG Oral Tablet', rxnorm('69749', 'valsartan'), atcCode('C09CA03', 'valsartan')),
  irbesartan: d('arb', 'irbesartan 150 MG Oral Tablet', rxnorm('83818', 'irbesartan')),
  sacubitrilValsartan: d('arni', 'sacubitril 49 MG / valsartan 51 MG Oral Tablet', rxnorm('1656328', 'sacubitril'), rxnorm('69749', 'valsartan')),
  semaglutidePen: d('glp1', '1 MG Dose 1.5 ML semaglutide 1.34 MG/ML Pen Injector', rxnorm('1991316', '1 MG Dose 1.5 ML semaglutide 1.34 MG/ML Pen Injector')),
  semaglutideOral: d('glp1', 'semaglutide 14 MG Oral Tablet', rxnorm('2200644', 'semaglutide 14 MG Oral Tablet')),
  dulaglutide: d('glp1', '0.5 ML dulaglutide 1.5 MG/ML Auto-Injector', rxnorm('1551295', '0.5 ML dulaglutide 1.5 MG/ML Auto-Injector')),
  liraglutide: d('glp1', '3 ML liraglutide 6 MG/ML Pen Injector', rxnorm('897122', '3 ML liraglutide 6 MG/ML Pen Injector')),
  degludecLiraglutide: d('glp1', '3 ML insulin degludec 100 UNT/ML / liraglutide 3.6 MG/ML Pen Injector', rxnorm('1860167', '3 ML insulin degludec 100 UNT/ML / liraglutide 3.6 MG/ML Pen Injector')),
  tirzepatide: d('glp1', 'tirzepatide 5 MG/0.5 ML Auto-Injector', rxnorm('2601723', 'tirzepatide'), atcCode('A10BX16', 'tirzepatide')),
  metformin: d('other', '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', rxnorm('860975', '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet')),
  insulinGlargine: d('other', 'insulin glargine 100 UNT/ML Pen Injector', rxnorm('274783', 'insulin glargine')),
  empagliflozin: d('other', 'empagliflozin 10 MG Oral Tablet', rxnorm('1545653', 'empagliflozin')),
  amlodipine: d('other', 'amlodipine 5 MG Oral Tablet', rxnorm('197361', 'amlodipine 5 MG Oral Tablet')),
  atorvastatin: d('other', 'atorvastatin 40 MG Oral Tablet', rxnorm('83367', 'atorvastatin')),
} as const;

export const ACE_INHIBITORS: readonly Glp1Drug[] = [DRUGS.lisinopril10, DRUGS.lisinopril20, DRUGS.lisinoprilHctz, DRUGS.ramipril, DRUGS.enalapril];
export const ARBS: readonly Glp1Drug[] = [DRUGS.losartan50, DRUGS.losartan100, DRUGS.valsartan, DRUGS.irbesartan];
export const GLP1_AGONISTS: readonly Glp1Drug[] = [DRUGS.semaglutidePen, DRUGS.semaglutideOral, DRUGS.dulaglutide, DRUGS.liraglutide, DRUGS.tirzepatide];

/** What an AllergyIntolerance to a class names (an ingredient). */
export const INTOLERANCE = {
  lisinopril: rxnorm('29046', 'lisinopril'),
  losartan: rxnorm('52175', 'losartan'),
  semaglutide: rxnorm('1991302', 'semaglutide'),
} as const;
