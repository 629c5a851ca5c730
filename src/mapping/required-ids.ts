// The ids the model builder and the criteria rely on. A mapping folder without one of them is
// refused at start-up: a missing value set would silently read as "no such history".

export const REQUIRED_VALUE_SETS = [
  'dx-dm', 'dx-pm', 'dx-iim-unspecified', 'malignancy', 'malignancy-history', 'primary-immunodeficiency',
  'hiv', 'autoimmune-hepatitis', 'hepatitis-b', 'hepatitis-c-chronic', 'substance-abuse', 'suicidal-ideation',
  'suicidal-behaviour', 'tb-active', 'tb-latent', 'pneumocystis', 'cmv', 'hsv', 'zoster', 'atypical-mycobacteria',
  'pregnancy', 'menopause', 'hysterectomy', 'bilateral-oophorectomy', 'infection', 'anaphylaxis',
  'muscle-biopsy', 'muscle-mri',
] as const;

export const REQUIRED_LABS = [
  'ck', 'aldolase', 'ldh', 'alt', 'ast', 'ggt', 'bilirubin-total', 'bilirubin-direct', 'inr', 'igg', 'iga',
  'hbsag', 'hbcab', 'hcv-ab', 'hcv-rna', 'hiv-test', 'hcg', 'hcg-quantitative', 'ana-screen', 'ana-titre',
  'ab-rnp', 'ab-ssa', 'ab-ssb', 'msa-jo1', 'msa-pl7', 'msa-pl12', 'msa-ej', 'msa-oj', 'msa-ks', 'msa-srp',
  'msa-mi2', 'msa-nxp2', 'msa-mda5', 'msa-tif1g', 'msa-sae',
] as const;

export const REQUIRED_MEASURES = [
  'mmt8-150', 'mmt8-80', 'phys-global-activity', 'pt-global-activity', 'haq-di', 'extramuscular-activity',
  'mdaat-cutaneous-activity', 'mdi-muscle-damage', 'mri-severe-muscle-atrophy',
] as const;

export const REQUIRED_AGENTS = [
  'prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone', 'hydrocortisone', 'betamethasone',
  'triamcinolone', 'deflazacort', 'budesonide', 'azathioprine', 'methotrexate', 'mycophenolate',
  'leflunomide', 'tacrolimus', 'cyclosporine', 'cyclophosphamide', 'rituximab',
  'immune-globulin', 'belimumab',
] as const;

export const REQUIRED_CLASSES = ['anti-infective', 'anticoagulant', 'contrast-agent', 'monoclonal-antibody', 'human-protein'] as const;

/** Value sets the model builder reads by name. */
export const INFECTION_VALUE_SET = 'infection';
export const ANAPHYLAXIS_VALUE_SET = 'anaphylaxis';
