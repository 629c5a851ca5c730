// E3 (`exc-primary-immunodeficiency`): `met` if a primary immunodeficiency is recorded (any time). Secondary (drug-induced) immunodeficiency is not in the mapping's set.
// Closed: no such record → `not-met`. Clinical status does not matter; refuted and
// entered-in-error conditions do not count.

import { recordedConditionCriterion } from '../common/recorded-condition.js';

export const criterion = recordedConditionCriterion('exc-primary-immunodeficiency', 'primary-immunodeficiency', 'primary immunodeficiency');
