// I8 (`inc-stable-glucocorticoid`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('inc-stable-glucocorticoid', 'inclusion', 'a stable glucocorticoid dose below 15 mg/day prednisone-equivalent');
