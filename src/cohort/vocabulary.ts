// Code tables of the synthetic cohort: the routine vocabulary of a US EHR export (SNOMED
// problems, LOINC vitals and panels, RxNorm clinical drugs, CVX vaccines) and the study's own
// concepts (fhir-mappings/belimumab-iim). Codes are public terminology; no record of any real or
// Synthea patient is copied here.

export interface Coding {
  system: string;
  code: string;
  display?: string;
}

export const SYS = {
  snomed: 'http://snomed.info/sct',
  icd10: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  rxnorm: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  atc: 'http://www.whocc.no/atc',
  ucum: 'http://unitsofmeasure.org',
  cpt: 'http://www.ama-assn.org/go/cpt',
  cvx: 'http://hl7.org/fhir/sid/cvx',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  interpretation: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  local: 'https://fhir-prescreen.org/CodeSystem/belimumab-iim',
} as const;

export const snomed = (code: string, display: string): Coding => ({ system: SYS.snomed, code, display });
export const icd10 = (code: string, display: string): Coding => ({ system: SYS.icd10, code, display });
export const loinc = (code: string, display: string): Coding => ({ system: SYS.loinc, code, display });
export const rxnorm = (code: string, display: string): Coding => ({ system: SYS.rxnorm, code, display });
export const atc = (code: string, display: string): Coding => ({ system: SYS.atc, code, display });
export const local = (code: string, display: string): Coding => ({ system: SYS.local, code, display });

/** `M33.12` → `M3312`: EHRs send both forms. */
export function undotted(c: Coding): Coding {
  return { ...c, code: c.code.replace('.', '') };
}

// ---------------------------------------------------------------- routine vocabulary

/** [LOINC, display, UCUM, mean, sd, decimals] */
export type LabDef = readonly [string, string, string, number, number, number];

export const VITALS: readonly LabDef[] = [
  ['8302-2', 'Body Height', 'cm', 168, 9, 1],
  ['72514-3', 'Pain severity - 0-10 verbal numeric rating [Score] - Reported', '{score}', 2, 1.5, 0],
  ['29463-7', 'Body Weight', 'kg', 80, 14, 1],
  ['39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 27.5, 4, 2],
  ['8867-4', 'Heart rate', '/min', 76, 9, 0],
  ['9279-1', 'Respiratory rate', '/min', 15, 2, 0],
];

export const METABOLIC_PANEL: readonly LabDef[] = [
  ['2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL', 92, 14, 1],
  ['6299-2', 'Urea nitrogen [Mass/volume] in Blood', 'mg/dL', 14, 4, 1],
  ['38483-4', 'Creatinine [Mass/volume] in Blood', 'mg/dL', 0.95, 0.18, 2],
  ['49765-1', 'Calcium [Mass/volume] in Blood', 'mg/dL', 9.4, 0.3, 2],
  ['2947-0', 'Sodium [Moles/volume] in Blood', 'mmol/L', 140, 2, 1],
  ['6298-4', 'Potassium [Moles/volume] in Blood', 'mmol/L', 4.2, 0.3, 2],
  ['2069-3', 'Chloride [Moles/volume] in Blood', 'mmol/L', 103, 2, 1],
  ['20565-8', 'Carbon dioxide, total [Moles/volume] in Blood', 'mmol/L', 25, 2, 1],
];

export const CBC_PANEL: readonly LabDef[] = [
  ['6690-2', 'Leukocytes [#/volume] in Blood by Automated count', '10*3/uL', 7, 1.6, 1],
  ['789-8', 'Erythrocytes [#/volume] in Blood by Automated count', '10*6/uL', 4.7, 0.3, 2],
  ['718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 14, 1.2, 1],
  ['4544-3', 'Hematocrit [Volume Fraction] of Blood by Automated count', '%', 42, 3, 1],
  ['787-2', 'MCV [Entitic volume] by Automated count', 'fL', 89, 4, 1],
  ['777-3', 'Platelets [#/volume] in Blood by Automated count', '10*3/uL', 260, 50, 0],
];

export const LIPID_PANEL: readonly LabDef[] = [
  ['2093-3', 'Cholesterol [Mass/volume] in Serum or Plasma', 'mg/dL', 190, 30, 1],
  ['2571-8', 'Triglycerides', 'mg/dL', 130, 35, 1],
  ['18262-6', 'Low Density Lipoprotein Cholesterol', 'mg/dL', 110, 25, 1],
  ['2085-9', 'High Density Lipoprotein Cholesterol', 'mg/dL', 55, 10, 1],
];

export const HBA1C: LabDef = ['4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood', '%', 5.6, 0.4, 1];

export const SMOKING_STATUS = loinc('72166-2', 'Tobacco smoking status');
export const SMOKING_VALUES: readonly Coding[] = [
  snomed('266919005', 'Never smoked tobacco (finding)'),
  snomed('8517006', 'Ex-smoker (finding)'),
  snomed('449868002', 'Smokes tobacco daily (finding)'),
];

/** Social and minor findings Synthea records at check-ups. */
export const FINDINGS: readonly Coding[] = [
  snomed('160903007', 'Full-time employment (finding)'),
  snomed('160904001', 'Part-time employment (finding)'),
  snomed('73595000', 'Stress (finding)'),
  snomed('741062008', 'Not in labor force (finding)'),
  snomed('422650009', 'Social isolation (finding)'),
  snomed('224299000', 'Received higher education (finding)'),
  snomed('423315002', 'Limited social contact (finding)'),
];

export interface Drug {
  coding: Coding;
  /** Doses per day (Synthea writes `doseQuantity: {value: 1.0}` with no unit). */
  perDay: number;
  units: number;
}

const drug = (code: string, display: string, perDay = 1, units = 1): Drug => ({
  coding: rxnorm(code, display),
  perDay,
  units,
});

export interface ChronicProblem {
  snomed: Coding;
  icd: Coding;
  /** Prevalence by age: [from age, probability]. */
  prevalence: readonly (readonly [number, number])[];
  drugs: readonly Drug[];
}

export const CHRONIC: readonly ChronicProblem[] = [
  {
    snomed: snomed('59621000', 'Essential hypertension (disorder)'),
    icd: icd10('I10', 'Essential (primary) hypertension'),
    prevalence: [[18, 0.08], [40, 0.25], [60, 0.5]],
    drugs: [
      drug('314076', 'lisinopril 10 MG Oral Tablet'),
      drug('197361', 'amlodipine 5 MG Oral Tablet'),
      drug('310798', 'Hydrochlorothiazide 25 MG Oral Tablet'),
    ],
  },
  {
    snomed: snomed('55822004', 'Hyperlipidemia (disorder)'),
    icd: icd10('E78.5', 'Hyperlipidemia, unspecified'),
    prevalence: [[25, 0.06], [45, 0.22], [60, 0.38]],
    drugs: [drug('314231', 'Simvastatin 10 MG Oral Tablet'), drug('312961', 'Simvastatin 20 MG Oral Tablet')],
  },
  {
    snomed: snomed('44054006', 'Diabetes mellitus type 2 (disorder)'),
    icd: icd10('E11.9', 'Type 2 diabetes mellitus without complications'),
    prevalence: [[30, 0.04], [50, 0.12], [65, 0.2]],
    drugs: [drug('860975', '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet', 1, 2)],
  },
  {
    snomed: snomed('15777000', 'Prediabetes'),
    icd: icd10('R73.03', 'Prediabetes'),
    prevalence: [[20, 0.08], [45, 0.15]],
    drugs: [],
  },
  {
    snomed: snomed('195967001', 'Asthma (disorder)'),
    icd: icd10('J45.909', 'Unspecified asthma, uncomplicated'),
    prevalence: [[0, 0.07]],
    drugs: [
      drug('895994', '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler', 2, 2),
      drug('745679', '200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler', 1, 2),
    ],
  },
  {
    snomed: snomed('239873007', 'Osteoarthritis of knee (disorder)'),
    icd: icd10('M17.9', 'Osteoarthritis of knee, unspecified'),
    prevalence: [[45, 0.08], [65, 0.2]],
    drugs: [drug('849574', 'Naproxen sodium 220 MG Oral Tablet', 2), drug('313782', 'Acetaminophen 325 MG Oral Tablet', 3, 2)],
  },
  {
    snomed: snomed('35489007', 'Depressive disorder (disorder)'),
    icd: icd10('F32.A', 'Depression, unspecified'),
    prevalence: [[15, 0.07]],
    drugs: [drug('312940', 'sertraline 50 MG Oral Tablet')],
  },
  {
    snomed: snomed('49436004', 'Atrial fibrillation (disorder)'),
    icd: icd10('I48.91', 'Unspecified atrial fibrillation'),
    prevalence: [[55, 0.03], [70, 0.08]],
    drugs: [drug('855332', 'Warfarin Sodium 5 MG Oral Tablet'), drug('866412', '24 HR metoprolol succinate 100 MG Extended Release Oral Tablet')],
  },
  {
    snomed: snomed('64859006', 'Osteoporosis (disorder)'),
    icd: icd10('M81.0', 'Age-related osteoporosis without current pathological fracture'),
    prevalence: [[55, 0.06]],
    drugs: [drug('904419', 'Alendronic acid 10 MG Oral Tablet')],
  },
  {
    snomed: snomed('431855005', 'Chronic kidney disease stage 1 (disorder)'),
    icd: icd10('N18.1', 'Chronic kidney disease, stage 1'),
    prevalence: [[50, 0.05]],
    drugs: [],
  },
  {
    snomed: snomed('367498001', 'Seasonal allergic rhinitis'),
    icd: icd10('J30.2', 'Other seasonal allergic rhinitis'),
    prevalence: [[5, 0.08]],
    drugs: [drug('997488', 'Fexofenadine hydrochloride 30 MG Oral Tablet')],
  },
];

export interface AcuteProblem {
  snomed: Coding;
  icd: Coding;
  weight: number;
  /** Oral antibiotic courses (days) that may follow. */
  antibiotics: readonly Drug[];
  days: number;
}

export const ACUTE: readonly AcuteProblem[] = [
  { snomed: snomed('444814009', 'Viral sinusitis (disorder)'), icd: icd10('J01.90', 'Acute sinusitis, unspecified'), weight: 5, antibiotics: [], days: 14 },
  { snomed: snomed('195662009', 'Acute viral pharyngitis (disorder)'), icd: icd10('J02.9', 'Acute pharyngitis, unspecified'), weight: 4, antibiotics: [], days: 10 },
  { snomed: snomed('10509002', 'Acute bronchitis (disorder)'), icd: icd10('J20.9', 'Acute bronchitis, unspecified'), weight: 3, antibiotics: [], days: 14 },
  {
    snomed: snomed('43878008', 'Streptococcal sore throat (disorder)'), icd: icd10('J02.0', 'Streptococcal pharyngitis'), weight: 2,
    antibiotics: [drug('834102', 'Penicillin V Potassium 500 MG Oral Tablet', 2), drug('308192', 'Amoxicillin 500 MG Oral Tablet', 2)], days: 10,
  },
  {
    snomed: snomed('75498004', 'Acute bacterial sinusitis (disorder)'), icd: icd10('J01.90', 'Acute sinusitis, unspecified'), weight: 2,
    antibiotics: [drug('562251', 'Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet', 2)], days: 10,
  },
  {
    snomed: snomed('301011002', 'Escherichia coli urinary tract infection'), icd: icd10('N39.0', 'Urinary tract infection, site not specified'), weight: 2,
    antibiotics: [drug('311995', 'NITROFURANTOIN, MACROCRYSTALS 50 MG Oral Capsule', 4)], days: 7,
  },
  {
    snomed: snomed('65363002', 'Otitis media'), icd: icd10('H66.90', 'Otitis media, unspecified, unspecified ear'), weight: 2,
    antibiotics: [drug('308192', 'Amoxicillin 500 MG Oral Tablet', 2)], days: 10,
  },
  { snomed: snomed('840539006', 'COVID-19'), icd: icd10('U07.1', 'COVID-19'), weight: 1, antibiotics: [], days: 20 },
  { snomed: snomed('44465007', 'Sprain of ankle'), icd: icd10('S93.409A', 'Sprain of unspecified ligament of unspecified ankle, initial encounter'), weight: 1, antibiotics: [], days: 28 },
  { snomed: snomed('370247008', 'Facial laceration'), icd: icd10('S01.81XA', 'Laceration without foreign body of other part of head, initial encounter'), weight: 1, antibiotics: [], days: 14 },
];

/** A 5-day azithromycin "Z-pak" (E13: a short course is not suppressive). */
export const AZITHROMYCIN_250 = drug('308460', 'Azithromycin 250 MG Oral Tablet');
export const IBUPROFEN = drug('310965', 'Ibuprofen 200 MG Oral Tablet', 3, 2);
export const ACETAMINOPHEN = drug('313782', 'Acetaminophen 325 MG Oral Tablet', 3, 2);

export const INPATIENT_REASONS: readonly { snomed: Coding; icd: Coding; infection: boolean }[] = [
  { snomed: snomed('233604007', 'Pneumonia (disorder)'), icd: icd10('J18.9', 'Pneumonia, unspecified organism'), infection: true },
  { snomed: snomed('91302008', 'Sepsis (disorder)'), icd: icd10('A41.9', 'Sepsis, unspecified organism'), infection: true },
  { snomed: snomed('22298006', 'Myocardial infarction (disorder)'), icd: icd10('I21.9', 'Acute myocardial infarction, unspecified'), infection: false },
  { snomed: snomed('5913000', 'Fracture of neck of femur (disorder)'), icd: icd10('S72.009A', 'Fracture of unspecified part of neck of unspecified femur, initial encounter'), infection: false },
  { snomed: snomed('195967001', 'Asthma (disorder)'), icd: icd10('J45.901', 'Unspecified asthma with (acute) exacerbation'), infection: false },
];

export const CEFTRIAXONE_IV: Coding = rxnorm('1665021', 'ceftriaxone 1000 MG Injection');
export const HEPARIN_SC: Coding = rxnorm('1361615', 'heparin sodium, porcine 5000 UNT/ML Injectable Solution');

export const CHECKUP_PROCEDURES: readonly Coding[] = [
  snomed('171207006', 'Depression screening (procedure)'),
  snomed('454711000124102', 'Depression screening using Patient Health Questionnaire Two-Item score (procedure)'),
  snomed('428211000124100', 'Assessment of substance use (procedure)'),
  snomed('710824005', 'Assessment of health and social care needs (procedure)'),
  snomed('430193006', 'Medication Reconciliation (procedure)'),
  snomed('710841007', 'Assessment of anxiety (procedure)'),
  snomed('763302001', 'Assessment using Alcohol Use Disorders Identification Test - Consumption (procedure)'),
];

export const OCCASIONAL_PROCEDURES: readonly Coding[] = [
  snomed('24623002', 'Screening mammography (procedure)'),
  snomed('73761001', 'Colonoscopy'),
  snomed('399208008', 'Plain chest X-ray (procedure)'),
  snomed('288086009', 'Suture open wound'),
  snomed('90226004', 'Cytopathology procedure, preparation of smear, genital source'),
];

export const VACCINES: readonly { cvx: Coding; fromAge: number; toAge: number; yearly: boolean }[] = [
  { cvx: { system: SYS.cvx, code: '140', display: 'Influenza, seasonal, injectable, preservative free' }, fromAge: 0, toAge: 120, yearly: true },
  { cvx: { system: SYS.cvx, code: '113', display: 'Td (adult), 5 Lf tetanus toxoid, preservative free, adsorbed' }, fromAge: 18, toAge: 120, yearly: false },
  { cvx: { system: SYS.cvx, code: '115', display: 'Tdap' }, fromAge: 11, toAge: 120, yearly: false },
  { cvx: { system: SYS.cvx, code: '62', display: 'HPV, quadrivalent' }, fromAge: 9, toAge: 26, yearly: false },
  { cvx: { system: SYS.cvx, code: '33', display: 'pneumococcal polysaccharide vaccine, 23 valent' }, fromAge: 65, toAge: 120, yearly: false },
  { cvx: { system: SYS.cvx, code: '121', display: 'zoster vaccine, live' }, fromAge: 50, toAge: 120, yearly: false },
  { cvx: { system: SYS.cvx, code: '208', display: 'SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose' }, fromAge: 12, toAge: 120, yearly: false },
  { cvx: { system: SYS.cvx, code: '43', display: 'Hep B, adult' }, fromAge: 18, toAge: 60, yearly: false },
];

export const ALLERGIES: readonly { code: Coding; category: string; manifestation?: Coding }[] = [
  { code: rxnorm('7980', 'Penicillin G'), category: 'medication', manifestation: snomed('271807003', 'Eruption of skin (disorder)') },
  { code: rxnorm('1191', 'Aspirin'), category: 'medication' },
  { code: rxnorm('10831', 'Sulfamethoxazole / Trimethoprim'), category: 'medication', manifestation: snomed('247472004', 'Wheal (finding)') },
  { code: snomed('111088007', 'Latex (substance)'), category: 'environment', manifestation: snomed('247472004', 'Wheal (finding)') },
  { code: snomed('264287008', 'Animal dander (substance)'), category: 'environment', manifestation: snomed('878820003', 'Rhinoconjunctivitis (disorder)') },
  { code: snomed('256277009', 'Grass pollen (substance)'), category: 'environment' },
  { code: snomed('91935009', 'Allergy to peanuts'), category: 'food', manifestation: snomed('39579001', 'Anaphylaxis (disorder)') },
  { code: snomed('288328004', 'Bee venom (substance)'), category: 'environment', manifestation: snomed('39579001', 'Anaphylaxis (disorder)') },
];

export const ENCOUNTER_TYPES = {
  checkup: snomed('162673000', 'General examination of patient (procedure)'),
  problem: snomed('185347001', 'Encounter for problem (procedure)'),
  followUp: snomed('390906007', 'Follow-up encounter (procedure)'),
  urgent: snomed('702927004', 'Urgent care clinic (environment)'),
  emergency: snomed('50849002', 'Emergency room admission (procedure)'),
  inpatient: snomed('32485007', 'Hospital admission (procedure)'),
  consult: snomed('698314001', 'Consultation for treatment (procedure)'),
  vaccine: snomed('33879002', 'Administration of vaccine to produce active immunity (procedure)'),
} as const;
