// belimumab-iim's thresholds.yaml, declared by its TypeScript criteria with TypeBox: the study
// loader checks the file (with the site's `courses`) against ThresholdsFile before any
// criterion runs, so every number a criterion reads is there and is a number. The criteria read
// them through thresholdsOf.

import { Type, type Static } from 'typebox';
import type { EligibilityModel } from '../../mapping/model.js';
import type { ThresholdIds } from '../../mapping/required-ids.js';
import { SharedThresholdsFile } from '../../mapping/schema.js';

const N = Type.Number();
const Obj = <T extends Record<string, ReturnType<typeof Type.Number> | ReturnType<typeof Type.Array>>>(props: T) =>
  Type.Object(props, { additionalProperties: false });

/** Every number is required; `courses` is the site's (SharedThresholdsFile). */
export const ThresholdsFile = Type.Object(
  {
    'inc-age': Obj({ minYears: N }),
    'inc-autoantibody': Obj({
      anaPositiveMinDenominator: N,
      anaNegativeMaxDenominator: N,
      requiredNegativePanel: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
    }),
    'inc-pregnancy-contraception': Obj({ nonChildbearingAge: N, hcgWindowDays: N, hcgQuantitativePositiveIUPerL: N }),
    'exc-malignancy-5y': Obj({ years: N }),
    'exc-immunoglobulin-deficiency': Obj({ lookbackMonths: N, iggMinMgPerDl: N, igaMinMgPerDl: N }),
    'exc-rituximab-365d': Obj({ days: N }),
    'exc-cyclophosphamide-180d': Obj({ days: N }),
    'exc-substance-abuse': Obj({ days: N }),
    'exc-suicide-risk': Obj({ behaviourMonths: N, ideationMonths: N }),
    'inc-refractory': Obj({ minMonths: N, recentOnsetMonths: N }),
    'inc-active-disease': Obj({
      windowDays: N,
      mmt8_150AbnormalMax: N,
      mmt8_80AbnormalMax: N,
      physicianGlobalMinCm: N,
      patientGlobalMinCm: N,
      haqDiMin: N,
      enzymeUlnMultiple: N,
      extramuscularAboveCm: N,
      dmCutaneousAboveCm: N,
      dmEnzymeUlnMultiple: N,
      minOtherAbnormal: N,
      dmMinOtherAbnormal: N,
    }),
    'inc-biopsy-mri-long-disease': Obj({ longDiseaseYears: N, cutaneousAboveCm: N, cutaneousWindowDays: N, procedureWindowMonths: N }),
    'inc-stable-glucocorticoid': Obj({ maxDailyPrednisoneMg: N, stableDays: N }),
    'inc-stable-immunosuppressant': Obj({ stableMonths: N, ivigStableMonths: N }),
    'exc-muscle-damage': Obj({ lookbackMonths: N, mdiAboveCm: N }),
    'exc-is-discontinued-3m': Obj({ months: N }),
    'exc-ivig-or-pulse-steroids': Obj({ ivigMonths: N, pulseMonths: N, pulseMethylprednisoloneMg: N }),
    'exc-infection': Obj({ suppressiveMinDays: N, inpatientDays: N, parenteralDays: N }),
    'exc-liver-labs': Obj({ lookbackDays: N, ggtUlnMultiple: N, bilirubinUlnMultiple: N, directFractionMax: N, inrMax: N }),
    ...SharedThresholdsFile.properties,
  },
  { additionalProperties: false },
);
export type Thresholds = Static<typeof ThresholdsFile>;

/** The model's thresholds as this study's: the loader checked them against ThresholdsFile. */
export function thresholdsOf(model: Pick<EligibilityModel, 'thresholds'>): Thresholds {
  return model.thresholds as unknown as Thresholds;
}

/** Labs thresholds.yaml names, which labs.yaml must define: the negative panel of inc-autoantibody (I3). */
export function thresholdLabs(thresholds: unknown): ThresholdIds {
  const panel = (thresholds as Partial<Thresholds>)['inc-autoantibody']?.requiredNegativePanel ?? [];
  return panel.map((id, i) => ({ id, path: `/inc-autoantibody/requiredNegativePanel/${i}` }));
}
