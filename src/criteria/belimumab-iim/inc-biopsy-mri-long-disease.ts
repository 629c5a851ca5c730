// I7 (`inc-biopsy-mri-long-disease`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('inc-biopsy-mri-long-disease', 'inclusion', 'muscle biopsy or MRI for disease of 7 years or more');
