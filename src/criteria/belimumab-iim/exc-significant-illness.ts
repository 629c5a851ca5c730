// E20 (`exc-significant-illness`): any other illness that makes the patient unsuitable, in the
// investigator's opinion (manual).

import { manualOnly } from '../common/manual-only.js';

export const criterion = manualOnly(
  'exc-significant-illness',
  'exclusion',
  'any other illness that makes the patient unsuitable: the investigator\'s judgement',
);
