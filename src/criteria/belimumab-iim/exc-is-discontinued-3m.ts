// E5 (`exc-is-discontinued-3m`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('exc-is-discontinued-3m', 'exclusion', 'an immunosuppressant or IVIG stopped within 3 months');
