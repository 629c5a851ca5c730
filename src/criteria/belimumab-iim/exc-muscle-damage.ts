// E1 (`exc-muscle-damage`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('exc-muscle-damage', 'exclusion', 'muscle damage (MDI muscle damage VAS or severe atrophy on MRI)');
