// E13 (`exc-infection`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('exc-infection', 'exclusion', 'chronic or recent serious infection');
