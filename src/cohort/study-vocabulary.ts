// The study's concepts as the cohort writes them (fhir-mappings/belimumab-iim): myositis diagnoses,
// autoantibodies and core-set measures (study-local codes), the muscle enzymes and the other
// labs the criteria read, and the treatments. Uncertain clinical-drug codes are left out: a
// medication then carries its ingredient code and the clinical-drug name as text.

import { atc, icd10, local, loinc, rxnorm, snomed, type Coding } from './vocabulary.js';

export type Subtype = 'dm' | 'pm' | 'iim';

/** Diagnosis codings by subtype; each patient records one or two of them. */
export const DIAGNOSES: Record<Subtype, readonly Coding[]> = {
  dm: [
    icd10('M33.10', 'Other dermatomyositis, organ involvement unspecified'),
    icd10('M33.12', 'Other dermatomyositis with myopathy'),
    icd10('M33.11', 'Other dermatomyositis with respiratory involvement'),
    icd10('M33.90', 'Dermatopolymyositis, unspecified, organ involvement unspecified'),
    snomed('396230008', 'Dermatomyositis (disorder)'),
  ],
  pm: [
    icd10('M33.20', 'Polymyositis, organ involvement unspecified'),
    icd10('M33.22', 'Polymyositis with myopathy'),
    snomed('31384009', 'Polymyositis (disorder)'),
  ],
  iim: [
    icd10('G72.49', 'Other inflammatory and immune myopathies, not elsewhere classified'),
    snomed('702380008', 'Idiopathic inflammatory myopathy (disorder)'),
  ],
};

export const JUVENILE_DM = icd10('M33.00', 'Juvenile dermatomyositis, organ involvement unspecified');

/** Myositis-like codes that do NOT count (value-sets.yaml): noise in the ordinary population. */
export const NOT_COUNTED_MYOSITIS: readonly Coding[] = [
  icd10('M60.9', 'Myositis, unspecified'),
  icd10('G72.41', 'Inclusion body myositis [IBM]'),
  icd10('G72.0', 'Drug-induced myopathy'),
  snomed('68962001', 'Muscle pain (finding)'),
];

// -------------------------------------------------------------- autoantibodies

export const AB = {
  ana: loinc('5048-4', 'Nuclear Ab [Titer] in Serum by Immunofluorescence'),
  anaScreen: loinc('8061-4', 'Nuclear Ab [Presence] in Serum'),
  jo1Loinc: loinc('5234-0', 'Jo-1 extractable nuclear Ab [Presence] in Serum by Immunoassay'),
  jo1: local('msa-jo1', 'anti-Jo-1 antibody'),
  pl7: local('msa-pl7', 'anti-PL-7 antibody'),
  pl12: local('msa-pl12', 'anti-PL-12 antibody'),
  srp: local('msa-srp', 'anti-SRP antibody'),
  mi2: local('msa-mi2', 'anti-Mi-2 antibody'),
  nxp2: local('msa-nxp2', 'anti-NXP-2 antibody'),
  mda5: local('msa-mda5', 'anti-MDA5 antibody'),
  tif1g: local('msa-tif1g', 'anti-TIF1-gamma antibody'),
  sae: local('msa-sae', 'anti-SAE antibody'),
  rnp: local('ab-rnp', 'anti-U1-RNP antibody'),
  ssa: local('ab-ssa', 'anti-SSA/Ro antibody'),
  ssb: local('ab-ssb', 'anti-SSB/La antibody'),
} as const;

export const DM_MSA: readonly Coding[] = [AB.mi2, AB.tif1g, AB.nxp2, AB.mda5, AB.sae];
export const PM_MSA: readonly Coding[] = [AB.jo1Loinc, AB.jo1, AB.pl7, AB.pl12, AB.srp];

export const POSITIVE = snomed('10828004', 'Positive');
export const NEGATIVE = snomed('260385009', 'Negative');
export const DETECTED = snomed('260373001', 'Detected');
export const NOT_DETECTED = snomed('260415000', 'Not detected');

// -------------------------------------------------------------- core-set measures

export const CSM = {
  mmt8: local('mmt8-150', 'MMT-8 total, bilateral (0-150)'),
  physGlobal: local('phys-global-activity', 'Physician global activity VAS'),
  ptGlobal: local('pt-global-activity', 'Patient global activity VAS'),
  haq: local('haq-di', 'HAQ-DI'),
  extramuscular: local('extramuscular-activity', 'Extramuscular global activity VAS (MDAAT)'),
  cutaneous: local('mdaat-cutaneous-activity', 'Cutaneous activity VAS (MDAAT)'),
  mdi: local('mdi-muscle-damage', 'MDI muscle damage VAS'),
} as const;

// -------------------------------------------------------------- labs: [coding, UCUM, ULN]

export interface StudyLab {
  coding: Coding;
  unit: string;
  uln?: number;
  low?: number;
}

export const LAB = {
  ck: { coding: loinc('2157-6', 'Creatine kinase [Enzymatic activity/volume] in Serum or Plasma'), unit: 'U/L', uln: 200, low: 30 },
  aldolase: { coding: loinc('1761-6', 'Aldolase [Enzymatic activity/volume] in Serum or Plasma'), unit: 'U/L', uln: 7.6, low: 1 },
  ldh: { coding: loinc('2532-0', 'Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma'), unit: 'U/L', uln: 250, low: 120 },
  alt: { coding: loinc('1742-6', 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma'), unit: 'U/L', uln: 40, low: 7 },
  ast: { coding: loinc('1920-8', 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma'), unit: 'U/L', uln: 40, low: 10 },
  ggt: { coding: loinc('2324-2', 'Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma'), unit: 'U/L', uln: 60, low: 8 },
  bili: { coding: loinc('1975-2', 'Bilirubin.total [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', uln: 1.2, low: 0.1 },
  biliMolar: { coding: loinc('14631-6', 'Bilirubin.total [Moles/volume] in Serum or Plasma'), unit: 'umol/L', uln: 20.5, low: 1.7 },
  biliDirect: { coding: loinc('1968-7', 'Bilirubin.direct [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', uln: 0.3 },
  inr: { coding: loinc('6301-6', 'INR in Platelet poor plasma by Coagulation assay'), unit: '{INR}' },
  igg: { coding: loinc('2465-3', 'IgG [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', uln: 1600, low: 700 },
  iga: { coding: loinc('2458-8', 'IgA [Mass/volume] in Serum or Plasma'), unit: 'mg/dL', uln: 400, low: 70 },
} as const satisfies Record<string, StudyLab>;

export const SEROLOGY = {
  hbsag: loinc('5196-1', 'Hepatitis B virus surface Ag [Presence] in Serum'),
  hbcab: loinc('16933-4', 'Hepatitis B virus core Ab [Presence] in Serum'),
  hcvab: loinc('16128-1', 'Hepatitis C virus Ab [Presence] in Serum'),
  hcvRna: loinc('11259-9', 'Hepatitis C virus RNA [Presence] in Serum or Plasma by NAA with probe detection'),
  hiv: loinc('75622-1', 'HIV 1 and 2 Ab and HIV1 p24 Ag [Presence] in Serum or Plasma by Immunoassay'),
  hcgUrine: loinc('2106-3', 'Choriogonadotropin (pregnancy test) [Presence] in Urine'),
} as const;

// -------------------------------------------------------------- medications

export interface Agent {
  ingredient: Coding;
  atc?: Coding;
}

export const AGENT = {
  prednisone: { ingredient: rxnorm('8640', 'prednisone'), atc: atc('H02AB07', 'prednisone') },
  prednisolone: { ingredient: rxnorm('8638', 'prednisolone'), atc: atc('H02AB06', 'prednisolone') },
  methylprednisolone: { ingredient: rxnorm('6902', 'methylprednisolone'), atc: atc('H02AB04', 'methylprednisolone') },
  methotrexate: { ingredient: rxnorm('6851', 'methotrexate'), atc: atc('L04AX03', 'methotrexate') },
  azathioprine: { ingredient: rxnorm('1256', 'azathioprine'), atc: atc('L04AX01', 'azathioprine') },
  mycophenolate: { ingredient: rxnorm('68149', 'mycophenolate mofetil'), atc: atc('L04AA06', 'mycophenolic acid') },
  tacrolimus: { ingredient: rxnorm('42316', 'tacrolimus'), atc: atc('L04AD02', 'tacrolimus') },
  cyclophosphamide: { ingredient: rxnorm('3002', 'cyclophosphamide'), atc: atc('L01AA01', 'cyclophosphamide') },
  rituximab: { ingredient: rxnorm('121191', 'rituximab'), atc: atc('L01FA01', 'rituximab') },
  ivig: { ingredient: atc('J06BA02', 'immunoglobulins, normal human, for intravascular adm.') },
  belimumab: { ingredient: rxnorm('1092437', 'belimumab'), atc: atc('L04AG04', 'belimumab') },
  hydroxychloroquine: { ingredient: rxnorm('5521', 'hydroxychloroquine'), atc: atc('P01BA02', 'hydroxychloroquine') },
  isoniazid: { ingredient: rxnorm('6038', 'isoniazid'), atc: atc('J04AC01', 'isoniazid') },
  tmpSmx: { ingredient: rxnorm('10831', 'sulfamethoxazole / trimethoprim'), atc: atc('J01EE01', 'sulfamethoxazole and trimethoprim') },
  warfarin: { ingredient: rxnorm('11289', 'warfarin'), atc: atc('B01AA03', 'warfarin') },
  ceftriaxone: { ingredient: rxnorm('2193', 'ceftriaxone'), atc: atc('J01DD04', 'ceftriaxone') },
} as const satisfies Record<string, Agent>;

/** Clinical drugs whose RxNorm codes were checked against public sources. */
export const PREDNISONE_5_TABLET = rxnorm('312617', 'predniSONE 5 MG Oral Tablet');
export const METHOTREXATE_25_TABLET = rxnorm('105585', 'methotrexate 2.5 MG Oral Tablet');

export const ROUTE = {
  oral: snomed('26643006', 'Oral route'),
  iv: snomed('47625008', 'Intravenous route'),
  sc: snomed('34206005', 'Subcutaneous route'),
} as const;

export const MUSCLE_BIOPSY = { system: 'http://www.ama-assn.org/go/cpt', code: '20205', display: 'Biopsy, muscle; deep' };
export const MRI_THIGH = { system: 'http://www.ama-assn.org/go/cpt', code: '73718', display: 'MRI lower extremity other than joint; without contrast' };
export const EMG = snomed('42803009', 'Electromyography (procedure)');
