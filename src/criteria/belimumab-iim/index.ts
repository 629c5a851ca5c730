// The belimumab-iim criteria, in protocol order (a test checks the order against study.yaml,
// whose `typescriptCriteria: true` makes screening/typescript-criteria.ts load STUDY_CODE from
// here). Its version and entry value sets are facts.ts's: bump the version there whenever a
// criterion's logic changes.

import type { Criterion, StudyCode } from '../types.js';
import { criterion as excAnaphylaxis } from './exc-anaphylaxis.js';
import { criterion as excAutoimmuneHepatitis } from './exc-autoimmune-hepatitis.js';
import { criterion as excCyclophosphamide180d } from './exc-cyclophosphamide-180d.js';
import { criterion as excHepatitisBC } from './exc-hepatitis-b-c.js';
import { criterion as excHiv } from './exc-hiv.js';
import { criterion as excImmunoglobulinDeficiency } from './exc-immunoglobulin-deficiency.js';
import { criterion as excInfection } from './exc-infection.js';
import { criterion as excInvestigationalAgent30d } from './exc-investigational-agent-30d.js';
import { criterion as excInvestigationalBiologic365d } from './exc-investigational-biologic-365d.js';
import { criterion as excIsDiscontinued3m } from './exc-is-discontinued-3m.js';
import { criterion as excIvigOrPulseSteroids } from './exc-ivig-or-pulse-steroids.js';
import { criterion as excLiverLabs } from './exc-liver-labs.js';
import { criterion as excMalignancy5y } from './exc-malignancy-5y.js';
import { criterion as excMuscleDamage } from './exc-muscle-damage.js';
import { criterion as excPrimaryImmunodeficiency } from './exc-primary-immunodeficiency.js';
import { criterion as excPriorBelimumab } from './exc-prior-belimumab.js';
import { criterion as excRituximab365d } from './exc-rituximab-365d.js';
import { criterion as excSignificantIllness } from './exc-significant-illness.js';
import { criterion as excSubstanceAbuse } from './exc-substance-abuse.js';
import { criterion as excSuicideRisk } from './exc-suicide-risk.js';
import { criterion as incActiveDisease } from './inc-active-disease.js';
import { criterion as incAge } from './inc-age.js';
import { criterion as incAutoantibody } from './inc-autoantibody.js';
import { criterion as incBiopsyMriLongDisease } from './inc-biopsy-mri-long-disease.js';
import { criterion as incConsent } from './inc-consent.js';
import { criterion as incDiagnosis } from './inc-diagnosis.js';
import { criterion as incPregnancyContraception } from './inc-pregnancy-contraception.js';
import { criterion as incRefractory } from './inc-refractory.js';
import { criterion as incStableGlucocorticoid } from './inc-stable-glucocorticoid.js';
import { criterion as incStableImmunosuppressant } from './inc-stable-immunosuppressant.js';

import { CRITERIA_CODE_VERSION, STUDY_FACTS } from './facts.js';
import { BORROWABLE, REQUIRED_IDS } from './required-ids.js';
import { thresholdLabs, ThresholdsFile } from './thresholds.js';

export { CRITERIA_CODE_VERSION };

export const CRITERIA: Criterion[] = [
  incAge,
  incDiagnosis,
  incAutoantibody,
  incRefractory,
  incActiveDisease,
  incBiopsyMriLongDisease,
  incStableGlucocorticoid,
  incStableImmunosuppressant,
  incConsent,
  incPregnancyContraception,
  excMuscleDamage,
  excMalignancy5y,
  excPrimaryImmunodeficiency,
  excImmunoglobulinDeficiency,
  excIsDiscontinued3m,
  excRituximab365d,
  excCyclophosphamide180d,
  excIvigOrPulseSteroids,
  excPriorBelimumab,
  excInvestigationalBiologic365d,
  excInvestigationalAgent30d,
  excAnaphylaxis,
  excInfection,
  excHiv,
  excAutoimmuneHepatitis,
  excHepatitisBC,
  excLiverLabs,
  excSubstanceAbuse,
  excSuicideRisk,
  excSignificantIllness,
];

/** The criteria with what they read of fhir-mappings/belimumab-iim/ (study-registry.ts). */
export const STUDY_CODE: StudyCode = {
  ...STUDY_FACTS,
  criteria: CRITERIA,
  required: REQUIRED_IDS,
  thresholds: ThresholdsFile,
  borrowable: BORROWABLE,
  thresholdLabs,
};
