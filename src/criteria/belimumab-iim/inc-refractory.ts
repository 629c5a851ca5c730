// I4 (`inc-refractory`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('inc-refractory', 'inclusion', 'refractory disease (≥ 3 months of glucocorticoid or another immunosuppressant, or intolerance)');
