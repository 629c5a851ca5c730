// E7 (`exc-cyclophosphamide-180d`): `met` if any cyclophosphamide record's span overlaps
// [D − 180 days, D]. Closed. clearsOn: the day after the span's last day + 180 days.

import { medicationWindowCriterion } from '../common/medication-window.js';
import { thresholdsOf } from './thresholds.js';

export const criterion = medicationWindowCriterion(
  'exc-cyclophosphamide-180d',
  'cyclophosphamide',
  (m) => thresholdsOf(m)['exc-cyclophosphamide-180d'].days,
);
