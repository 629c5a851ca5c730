// The ids belimumab-iim's TypeScript criteria read from its mapping folder by name. The loader
// refuses the folder when one is missing (a missing value set would silently read as "no such
// history"); a study without these criteria is not asked for them.

import type { RequiredIds } from '../../mapping/required-ids.js';

export const REQUIRED_IDS: RequiredIds = {
  valueSets: [
    'dx-dm', 'dx-pm', 'dx-iim-unspecified', 'malignancy', 'malignancy-history', 'primary-immunodeficiency',
    'hiv', 'autoimmune-hepatitis', 'hepatitis-b', 'hepatitis-c-chronic', 'substance-abuse', 'suicidal-ideation',
    'suicidal-behaviour', 'tb-active', 'tb-latent', 'pneumocystis', 'cmv', 'hsv', 'zoster', 'atypical-mycobacteria',
    'pregnancy', 'menopause', 'hysterectomy', 'bilateral-oophorectomy', 'infection', 'anaphylaxis',
    'muscle-biopsy', 'muscle-mri',
  ],
  labs: [
    'ck', 'aldolase', 'ldh', 'alt', 'ast', 'ggt', 'bilirubin-total', 'bilirubin-direct', 'inr', 'igg', 'iga',
    'hbsag', 'hbcab', 'hcv-ab', 'hcv-rna', 'hiv-test', 'hcg', 'hcg-quantitative', 'ana-screen', 'ana-titre',
    'ab-rnp', 'ab-ssa', 'ab-ssb', 'msa-jo1', 'msa-pl7', 'msa-pl12', 'msa-ej', 'msa-oj', 'msa-ks', 'msa-srp',
    'msa-mi2', 'msa-nxp2', 'msa-mda5', 'msa-tif1g', 'msa-sae',
  ],
  measures: [
    'mmt8-150', 'mmt8-80', 'phys-global-activity', 'pt-global-activity', 'haq-di', 'extramuscular-activity',
    'mdaat-cutaneous-activity', 'mdi-muscle-damage', 'mri-severe-muscle-atrophy',
  ],
  agents: [
    'prednisone', 'prednisolone', 'methylprednisolone', 'dexamethasone', 'hydrocortisone', 'betamethasone',
    'triamcinolone', 'deflazacort', 'budesonide', 'azathioprine', 'methotrexate', 'mycophenolate',
    'leflunomide', 'tacrolimus', 'cyclosporine', 'cyclophosphamide', 'rituximab',
    'immune-globulin', 'belimumab',
  ],
  classes: ['anti-infective', 'anticoagulant', 'contrast-agent', 'monoclonal-antibody', 'human-protein'],
};

/**
 * The criteria another study may reuse word for word (`same-as`), with the ids each reads: the
 * borrowing study's folder must define them (the rule reads this study's thresholds).
 */
export const BORROWABLE: ReadonlyMap<string, RequiredIds> = new Map([
  ['exc-malignancy-5y', { valueSets: ['malignancy', 'malignancy-history'], labs: [], measures: [], agents: [], classes: [] }],
  [
    'inc-pregnancy-contraception',
    { valueSets: ['pregnancy', 'menopause', 'hysterectomy', 'bilateral-oophorectomy'], labs: ['hcg', 'hcg-quantitative'], measures: [], agents: [], classes: [] },
  ],
]);
