// Block `age`: age in whole years at D against limits (`atLeast: 18`). A partial birthDate gives
// a range of ages; when the limits hold for some and not others the answer is unknown. No birth
// date: unknown, open (the Patient resource may give it).

import Type, { type Static } from 'typebox';
import type { EligibilityModel } from '../../../mapping/model.js';
import { ageRange, ageText } from '../../common/age.js';
import { missingBirthDate } from '../../common/missing-data.js';
import { meetsLimits } from '../compare.js';
import { kitDecided, kitOpen, type KitOutcome } from '../outcome.js';
import { hasLimit, Limits, limitsText } from '../params.js';

export const AgeParams = Type.Object({ ...Limits }, { additionalProperties: false });
export type AgeParams = Static<typeof AgeParams>;

export function checkAge(p: AgeParams): string | undefined {
  return hasLimit(p) ? undefined : 'needs a limit: atLeast, above, atMost or below';
}

export function age(model: EligibilityModel, p: AgeParams): KitOutcome {
  const { patient, asOf } = model;
  const range = ageRange(patient, asOf);
  const limits = `age ${limitsText(p, 'years')}`;
  if (!range) {
    const why = patient.birthDateProblem ? `the birth date cannot be read (${patient.birthDateProblem})` : 'no birth date is recorded';
    return kitOpen(`${why}, so ${limits} at ${asOf} cannot be checked`, [missingBirthDate(model)], [patient.ref]);
  }
  const young = meetsLimits(range.youngest, undefined, p);
  const old = meetsLimits(range.oldest, undefined, p);
  const text = `${ageText(range)} at ${asOf}`;
  if (young === 'yes' && old === 'yes') return kitDecided('met', `${text}: ${limits} holds`, [patient.ref]);
  if (young === 'no' && old === 'no') return kitDecided('not-met', `${text}: ${limits} does not hold`, [patient.ref]);
  return kitOpen(`${text} (the birth date is partial): ${limits} may or may not hold`, [missingBirthDate(model, 'the exact birth date')], [patient.ref]);
}
