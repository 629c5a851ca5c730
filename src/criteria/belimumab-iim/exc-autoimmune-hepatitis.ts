// E15 (`exc-autoimmune-hepatitis`): `met` if autoimmune hepatitis is recorded, at any time.
// Closed: no such record → `not-met`. Clinical status does not matter; refuted and
// entered-in-error conditions do not count.

import { recordedConditionCriterion } from '../common/recorded-condition.js';

export const criterion = recordedConditionCriterion('exc-autoimmune-hepatitis', 'autoimmune-hepatitis', 'autoimmune hepatitis');
