// I9 (`inc-stable-immunosuppressant`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('inc-stable-immunosuppressant', 'inclusion', 'a stable immunosuppressant or IVIG regimen');
