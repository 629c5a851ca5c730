// E17 (`exc-liver-labs`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('exc-liver-labs', 'exclusion', 'GGT, bilirubin and INR within 180 days');
