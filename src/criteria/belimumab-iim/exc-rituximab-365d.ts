// E6 (`exc-rituximab-365d`): `met` if any rituximab record's span overlaps [D − 365 days, D].
// Closed. clearsOn: the day after the span's last day + 365 days.

import { medicationWindowCriterion } from '../common/medication-window.js';
import { thresholdsOf } from './thresholds.js';

export const criterion = medicationWindowCriterion('exc-rituximab-365d', 'rituximab', (m) => thresholdsOf(m)['exc-rituximab-365d'].days);
