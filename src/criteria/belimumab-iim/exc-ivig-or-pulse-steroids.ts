// E8 (`exc-ivig-or-pulse-steroids`, criteria.md): not evaluated in this version; a later issue completes it.

import { notEvaluated } from '../common/not-evaluated.js';

export const criterion = notEvaluated('exc-ivig-or-pulse-steroids', 'exclusion', 'a recent IVIG course or pulse glucocorticoids');
