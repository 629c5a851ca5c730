// I5,I6 (`inc-active-disease`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('inc-active-disease', 'inclusion', 'active disease from the IMACS core set measures');
